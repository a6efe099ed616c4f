package io.github.geminigateway.surface;

/**
 * A request path of the Gemini API, checked and taken apart. Which surface serves it, and what the request is, is
 * for the {@link ApiSurface}s to say.
 *
 * @param version   v1, v1beta or v1alpha
 * @param resource  the path after the version, still percent-encoded (checked: no escapes, no dot segments)
 * @param model     the model id from {@code models/<id>}, or null when the path names no model
 * @param rpcMethod the custom method after the colon ({@code generateContent}), or null
 * @param operation the operation, for metrics and logs
 * @param upload    whether the path is under {@code /upload/}
 */
public record GeminiPath(String version, String resource, String model, String rpcMethod, Operation operation, boolean upload) {
}
