package io.github.geminigateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.geminigateway.error.ErrorSummary;
import io.github.geminigateway.error.GeminiErrorBody;
import io.github.geminigateway.error.UpstreamError;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Mono;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads an upstream error reply and makes it safe to relay. Google's status and body shape are kept, because the SDKs
 * raise from them, but {@code google.rpc.DebugInfo} details are dropped (they can echo the key) and any upstream key
 * value anywhere in the text is redacted. A body that is not a Google error (an HTML page from a load balancer) is
 * replaced by a Gemini-shaped one, so no upstream detail leaks either way.
 */
public final class UpstreamErrorReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1024 * 1024;
    private static final int MAX_MESSAGE = 2000;

    private final Supplier<List<ApiKey>> keys;

    /** Redacts whichever keys the supplier holds at the time, so rotated keys are covered too. */
    public UpstreamErrorReader(Supplier<List<ApiKey>> keys) {
        this.keys = keys;
    }

    /** Reads an error response's body (bounded) and sanitizes it. */
    public Mono<UpstreamError> read(UpstreamResponse response, String requestId) {
        boolean gzip = "gzip".equalsIgnoreCase(response.header("Content-Encoding"));
        return DataBufferUtils.join(response.body(), MAX_BODY)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .onErrorResume(e -> Mono.just(new byte[0]))
                .defaultIfEmpty(new byte[0])
                .map(bytes -> read(response.status(), bytes, gzip, requestId));
    }

    public UpstreamError read(int httpStatus, byte[] rawBody, boolean gzip, String requestId) {
        JsonNode root = parse(rawBody, gzip);
        JsonNode error = errorOf(root);
        if (!(error instanceof ObjectNode errorObject)) {
            return new UpstreamError(httpStatus, null, List.of(), null, GeminiErrorBody.of(httpStatus,
                    statusName(httpStatus), "The upstream Gemini API answered HTTP " + httpStatus + ".", List.of(),
                    requestId));
        }
        String reason = null;
        List<String> quotaIds = new ArrayList<>();
        Duration retryDelay = null;
        ArrayNode details = errorObject.has("details") && errorObject.get("details").isArray()
                ? (ArrayNode) errorObject.get("details") : errorObject.putArray("details");
        for (Iterator<JsonNode> it = details.iterator(); it.hasNext(); ) {
            JsonNode detail = it.next();
            String type = detail.path("@type").asText("");
            if (type.endsWith("google.rpc.DebugInfo")) {
                it.remove();
            } else if (type.endsWith("google.rpc.ErrorInfo")) {
                reason = detail.path("reason").asText(null);
            } else if (type.endsWith("google.rpc.QuotaFailure")) {
                detail.path("violations").forEach(v -> quotaIds.add(v.path("quotaId").asText("")));
            } else if (type.endsWith("google.rpc.RetryInfo")) {
                retryDelay = parseDuration(detail.path("retryDelay").asText(null));
            }
        }
        details.addPOJO(GeminiErrorBody.requestInfo(requestId));
        return new UpstreamError(httpStatus, reason, List.copyOf(quotaIds), retryDelay, redact(write(root)));
    }

    /**
     * The code and message of an error JSON in either of Google's shapes: a google.rpc.Status ({@code "code":503,
     * "status":"UNAVAILABLE"}) or an Interactions error ({@code "code":"UNAVAILABLE"}), either alone or as the
     * one-element array the OpenAI-compatible route sends, keys redacted and the message bounded. For a surface
     * whose error events have their own shape.
     */
    public ErrorSummary summarize(byte[] json) {
        JsonNode error = errorOf(parse(json, false));
        if (error == null || !error.isObject()) {
            return new ErrorSummary(null, null);
        }
        JsonNode code = error.path("code");
        String status = error.path("status").isTextual() ? error.get("status").asText()
                : code.isTextual() ? code.asText() : code.isInt() ? statusName(code.asInt()) : null;
        // Redacted before it is cut: a key across the cut would otherwise survive as a prefix.
        String message = error.path("message").isTextual() ? redact(error.get("message").asText()) : null;
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        return new ErrorSummary(status == null ? null : redact(status), message);
    }

    /** A google.protobuf.Duration in JSON form, such as "53s" or "53.016342224s"; null when absent or malformed. */
    public static Duration parseDuration(String text) {
        if (text == null || !text.endsWith("s")) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
            if (seconds.signum() < 0) {
                return null;
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private byte[] redact(byte[] body) {
        return redact(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private String redact(String text) {
        for (ApiKey key : keys.get()) {
            text = text.replace(key.reveal(), "[REDACTED]");
        }
        return text;
    }

    /** The error object of {@code {"error":...}} or of {@code [{"error":...}]}; null when there is none. */
    private static JsonNode errorOf(JsonNode root) {
        if (root != null && root.isArray() && root.size() == 1) {
            return root.get(0).get("error");
        }
        return root == null ? null : root.get("error");
    }

    private static JsonNode parse(byte[] body, boolean gzip) {
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(body)) : new ByteArrayInputStream(body)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written", e);
        }
    }

    private static String statusName(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 504 -> "DEADLINE_EXCEEDED";
            case 501 -> "UNIMPLEMENTED";
            default -> httpStatus >= 500 ? (httpStatus == 500 ? "INTERNAL" : "UNAVAILABLE") : "FAILED_PRECONDITION";
        };
    }
}
