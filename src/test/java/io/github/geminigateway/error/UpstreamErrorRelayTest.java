package io.github.geminigateway.error;

import static io.github.geminigateway.error.GeminiErrorAssert.parse;
import static io.github.geminigateway.error.GeminiErrorAssert.requestInfoIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * Google's own errors reach the caller with Google's status and body, minus DebugInfo details and any upstream key,
 * plus the request id. Only statuses no retry policy touches (400, 404) are used, so the answer is the first one.
 */
class UpstreamErrorRelayTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();

    private static final String KEY = RunningGateway.UPSTREAM_KEY;
    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final byte[] BODY = "{\"contents\": [{\"parts\": [{\"text\": \"hi\"}]}]}"
            .getBytes(StandardCharsets.UTF_8);

    // A caller mistake, not a key problem: an API_KEY_INVALID reason would (rightly) take the gateway's only
    // upstream key out of rotation. Google's DebugInfo and messages can still echo the key.
    private static final String BAD_REQUEST = "{\n  \"error\": {\n    \"code\": 400,\n"
            + "    \"message\": \"Invalid value at 'contents[0].role' (request " + KEY + ")\",\n"
            + "    \"status\": \"INVALID_ARGUMENT\",\n    \"details\": [\n"
            + "      {\n        \"@type\": \"type.googleapis.com/google.rpc.BadRequest\",\n"
            + "        \"fieldViolations\": [{\"field\": \"contents[0].role\", \"description\": \"bad role\"}]\n"
            + "      },\n"
            + "      {\n        \"@type\": \"type.googleapis.com/google.rpc.DebugInfo\",\n"
            + "        \"detail\": \"[ORIGINAL ERROR] generic::invalid_argument: key " + KEY + " rejected\"\n"
            + "      }\n    ]\n  }\n}\n";

    @Test
    void aGoogleErrorKeepsItsStatusAndShapeWithoutDebugInfoOrTheKey() {
        upstream.enqueue(Reply.json(400, BAD_REQUEST));

        RawHttp.Answer answer = post(GENERATE);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().getContentType().toString()).startsWith("application/json");
        assertThat(answer.text()).doesNotContain(KEY, "DebugInfo", "ORIGINAL ERROR");
        JsonNode error = parse(answer.text()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(400);
        assertThat(error.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("message").asText()).startsWith("Invalid value at").contains("[REDACTED]");
        assertThat(error.get("details").findValuesAsText("@type")).containsExactly(
                "type.googleapis.com/google.rpc.BadRequest", "type.googleapis.com/google.rpc.RequestInfo");
        assertThat(requestInfoIds(error)).containsExactly(answer.headers().getFirst("X-Request-Id"));
    }

    @Test
    void aNotFoundLabelledAsEventStreamOnTheSseRouteIsRelayedAsJson() {
        String notFound = "{\n  \"error\": {\n    \"code\": 404,\n    \"message\": \"models/gemini-2.5-flash is not "
                + "found for API version v1beta, or is not supported for generateContent.\",\n    \"status\": "
                + "\"NOT_FOUND\",\n    \"details\": [\n      {\n        \"@type\": "
                + "\"type.googleapis.com/google.rpc.DebugInfo\",\n        \"detail\": \"[ORIGINAL ERROR] "
                + "generic::not_found: key=" + KEY + "\"\n      }\n    ]\n  }\n}\n";
        upstream.enqueue((request, response) -> response.status(404).header("Content-Type", "text/event-stream")
                .sendString(Mono.just(notFound), StandardCharsets.UTF_8));

        RawHttp.Answer answer = post(STREAM);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.headers().getContentType().toString()).startsWith("application/json");
        assertThat(answer.text()).doesNotContain(KEY, "DebugInfo", "data:");
        JsonNode error = parse(answer.text()).get("error");
        assertThat(error.get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).startsWith("models/gemini-2.5-flash is not found");
        assertThat(requestInfoIds(error)).containsExactly(answer.headers().getFirst("X-Request-Id"));
    }

    @Test
    void aNonJsonErrorBodyIsReplacedByAGeminiShapedOneWithTheSameStatus() {
        upstream.enqueue((request, response) -> response.status(404).header("Content-Type", "text/html")
                .sendString(Mono.just("<html><body>Not Found on lb-7.corp, key " + KEY + "</body></html>"),
                        StandardCharsets.UTF_8));

        RawHttp.Answer answer = post(GENERATE);

        GeminiErrorAssert.assertGatewayError(answer.status(), answer.headers(), answer.body(), 404, "NOT_FOUND");
        assertThat(answer.text()).doesNotContain("lb-7", "<html>", KEY);
    }

    @Test
    void aGzipErrorBodyIsSanitizedAndRelayedUncompressed() throws IOException {
        byte[] compressed = gzip(BAD_REQUEST);
        upstream.enqueue((request, response) -> response.status(400)
                .header("Content-Type", "application/json; charset=UTF-8").header("Content-Encoding", "gzip")
                .sendByteArray(Mono.just(compressed)));

        RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST", GENERATE, Map.of(
                "x-goog-api-key", RunningGateway.CLIENT_KEY, "Content-Type", "application/json",
                "Accept-Encoding", "gzip"), BODY);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().containsKey("Content-Encoding")).isFalse();
        assertThat(answer.text()).doesNotContain(KEY, "DebugInfo");
        assertThat(parse(answer.text()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    private static RawHttp.Answer post(String path) {
        return RawHttp.send(gateway.baseUrl(), "POST", path, Map.of("x-goog-api-key", RunningGateway.CLIENT_KEY,
                "Content-Type", "application/json"), BODY);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
