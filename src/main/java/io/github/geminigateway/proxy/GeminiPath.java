package io.github.geminigateway.proxy;

/**
 * A request path of the Gemini surface, checked and taken apart.
 *
 * @param version   v1, v1beta or v1alpha
 * @param model     the model id from {@code models/<id>}, or null when the path names no model
 * @param rpcMethod the custom method after the colon ({@code generateContent}), or null
 * @param operation the operation, for metrics and logs
 * @param upload    whether the path is under {@code /upload/}
 */
public record GeminiPath(String version, String model, String rpcMethod, Operation operation, boolean upload) {
}
