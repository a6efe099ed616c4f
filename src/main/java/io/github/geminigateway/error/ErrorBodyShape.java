package io.github.geminigateway.error;

/**
 * The shape an error answer takes on the route the caller used: Google's ({@code {"error":{code,message,status}}})
 * for the Gemini SDKs, or OpenAI's for callers of the OpenAI-compatible route. The surface that serves a request
 * says which, in the exchange attribute {@link #ATTRIBUTE}; a request no surface claimed yet gets Google's.
 */
public enum ErrorBodyShape {
    GEMINI,
    OPENAI;

    public static final String ATTRIBUTE = ErrorBodyShape.class.getName();

    /** The body in this shape, from the Gemini-shaped one every error is first built as. */
    byte[] reshape(int httpStatus, byte[] geminiBody, String requestId) {
        return this == GEMINI ? geminiBody : OpenAiErrorBody.fromGemini(httpStatus, geminiBody, requestId);
    }
}
