package io.github.geminigateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Checks that an HTTP answer is an error the gateway made itself, shaped exactly as Google shapes one, because the
 * callers are Gemini SDKs: {@code application/json}, {@code {"error":{code,message,status,details}}}, with a
 * {@code google.rpc.RequestInfo} detail that carries the same request id as the {@code X-Request-Id} header.
 */
public final class GeminiErrorAssert {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GeminiErrorAssert() {
    }

    /** Asserts the shape and returns the error object for further checks. */
    public static JsonNode assertGatewayError(ResponseEntity<byte[]> response, int code, String status) {
        return assertGatewayError(response.getStatusCode().value(), response.getHeaders(), response.getBody(), code,
                status);
    }

    public static JsonNode assertGatewayError(int actualStatus, HttpHeaders headers, byte[] body, int code,
                                              String status) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        assertThat(actualStatus).as("HTTP status of %s", text).isEqualTo(code);
        assertThat(headers.getContentType()).as("Content-Type").isNotNull();
        assertThat(headers.getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        String requestId = headers.getFirst("X-Request-Id");
        assertThat(requestId).as("X-Request-Id header").isNotBlank();
        JsonNode root = parse(text);
        assertThat(fieldNames(root)).containsExactly("error");
        JsonNode error = root.get("error");
        assertThat(fieldNames(error)).containsExactlyInAnyOrder("code", "message", "status", "details");
        assertThat(error.get("code").isInt()).isTrue();
        assertThat(error.get("code").asInt()).isEqualTo(code);
        assertThat(error.get("status").asText()).isEqualTo(status);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("details").isArray()).isTrue();
        assertThat(requestInfoIds(error)).containsExactly(requestId);
        assertThat(text).doesNotContain("Exception", "\tat ", "at io.github", "at reactor.");
        return error;
    }

    /** The requestId of every google.rpc.RequestInfo detail of an error object. */
    public static List<String> requestInfoIds(JsonNode error) {
        List<String> ids = new ArrayList<>();
        error.path("details").forEach(detail -> {
            if (detail.path("@type").asText().equals("type.googleapis.com/google.rpc.RequestInfo")) {
                ids.add(detail.path("requestId").asText());
            }
        });
        return ids;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
