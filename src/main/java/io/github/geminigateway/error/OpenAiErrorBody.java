package io.github.geminigateway.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as the OpenAI SDKs parse one: {@code {"error":{"message","type","param","code"}}}. They pick the
 * exception class by HTTP status alone (401 AuthenticationError, 403 PermissionDeniedError, 429 RateLimitError...),
 * and read {@code message}, {@code type} and {@code code} from this object; openai-java requires {@code message}
 * and {@code type} and wants {@code code} as a string. The code is the google.rpc status name, so a caller still
 * sees Google's reason; the request id rides in the message, the one field every SDK shows.
 */
public final class OpenAiErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiErrorBody() {
    }

    public static byte[] of(int httpStatus, String code, String message, String requestId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", requestId == null ? message : message + " (request id " + requestId + ")");
        error.put("type", type(httpStatus));
        error.put("param", null);
        error.put("code", code);
        try {
            return JSON.writeValueAsBytes(Map.of("error", error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("error body could not be written", e);
        }
    }

    /**
     * The same error, from a Gemini-shaped body (the gateway's own, or Google's already sanitized, which on the
     * OpenAI-compatible route comes as a one-element array {@code [{"error":...}]}).
     */
    public static byte[] fromGemini(int httpStatus, byte[] geminiBody, String requestId) {
        JsonNode error = errorObject(geminiBody);
        String code = error.path("status").isTextual() ? error.get("status").asText()
                : error.path("code").isTextual() ? error.get("code").asText() : null;
        String message = error.path("message").isTextual() ? error.get("message").asText()
                : "The upstream Gemini API answered HTTP " + httpStatus + ".";
        return of(httpStatus, code, message, requestId);
    }

    /** The OpenAI error type for an HTTP status, in OpenAI's own vocabulary where it has one. */
    static String type(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 429 -> "rate_limit_error";
            default -> httpStatus >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static JsonNode errorObject(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode first = root != null && root.isArray() && root.size() == 1 ? root.get(0) : root;
            return first == null ? JSON.missingNode() : first.path("error");
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
