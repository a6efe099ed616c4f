package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;

/**
 * What the gateway writes to its log, captured from the console: one access line per request, in the request's
 * correlation context, and never a key, an upload token, a prompt or an answer, even with the gateway's own loggers
 * at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogOutputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String PROMPT_MARKER = "PROMPT-MARKER-why-is-the-sky-7f3a";
    private static final String ANSWER_MARKER = "ANSWER-MARKER-rayleigh-91c2";
    private static final String UNKNOWN_KEY = "gw-unknown-key-MARKER-55d1";
    private static final byte[] PROMPT = ("{\"contents\": [{\"parts\": [{\"text\": \"" + PROMPT_MARKER + "\"}]}]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String ANSWER = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + ANSWER_MARKER
            + "\"}]},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 3,"
            + "\"candidatesTokenCount\": 1}}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--logging.level.io.github.geminigateway=DEBUG");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void keysTokensPromptsAndAnswersNeverReachTheLog(CapturedOutput output) {
        upstream.enqueue(Reply.json(200, ANSWER));
        call("POST", GENERATE, headers("log-1", RunningGateway.CLIENT_KEY), PROMPT);

        upstream.enqueue(Reply.json(200, ANSWER));
        call("POST", GENERATE + "?key=" + RunningGateway.CLIENT_KEY, headers("log-2", null), PROMPT);

        upstream.enqueue(Reply.json(400, "{\"error\": {\"code\": 400, \"message\": \"API key "
                + RunningGateway.UPSTREAM_KEY + " not valid for " + PROMPT_MARKER + "\", \"status\": "
                + "\"INVALID_ARGUMENT\", \"details\": [{\"@type\": \"type.googleapis.com/google.rpc.DebugInfo\", "
                + "\"detail\": \"key=" + RunningGateway.UPSTREAM_KEY + "\"}]}}"));
        call("POST", GENERATE, headers("log-3", RunningGateway.CLIENT_KEY), PROMPT);

        call("POST", GENERATE, headers("log-4", UNKNOWN_KEY), PROMPT);

        upstream.enqueue(Reply.events(ANSWER));
        call("POST", STREAM, headers("log-5", RunningGateway.CLIENT_KEY), PROMPT);

        call("POST", GENERATE, headers("log-6", RunningGateway.CLIENT_KEY),
                ("{\"contents\": [" + PROMPT_MARKER).getBytes(StandardCharsets.UTF_8));

        String uploadToken = uploadThroughTheGateway("log-7");

        // The OpenAI route: the key as a bearer token, the prompt in messages.
        upstream.enqueue(Reply.json(200, ANSWER));
        Map<String, String> bearer = headers("log-8", null);
        bearer.put("Authorization", "Bearer " + RunningGateway.CLIENT_KEY);
        bearer.put("x-stainless-lang", "js");
        bearer.put("x-stainless-package-version", "7.55.0");
        call("POST", "/v1beta/openai/chat/completions", bearer, ("{\"model\": \"gemini-2.5-flash\", \"messages\": "
                + "[{\"role\": \"user\", \"content\": \"" + PROMPT_MARKER + "\"}]}").getBytes(StandardCharsets.UTF_8));

        List<String> requestIds = List.of("log-1", "log-2", "log-3", "log-4", "log-5", "log-6", "log-7-start",
                "log-7-chunk", "log-8");
        await().atMost(WAIT).until(() -> requestIds.stream().allMatch(id -> output.getAll().contains("[" + id + " ")));
        assertThat(output.getAll()).doesNotContain(RunningGateway.CLIENT_KEY, RunningGateway.UPSTREAM_KEY,
                UNKNOWN_KEY, PROMPT_MARKER, ANSWER_MARKER, uploadToken);
        assertThat(accessLines(output, "log-8")).singleElement().asString()
                .contains("operation=chat", "status=200", "sdk=openai-js/7.55.0");
    }

    @Test
    void eachRequestGetsOneAccessLineInItsCorrelationContext(CapturedOutput output) {
        upstream.enqueue(Reply.json(200, ANSWER));
        Map<String, String> headers = headers("access-1", RunningGateway.CLIENT_KEY);
        headers.put("x-goog-api-client", "google-genai-sdk/2.0.0 gl-java/17.0.15");

        call("POST", GENERATE, headers, PROMPT);

        await().atMost(WAIT).until(() -> accessLines(output, "access-1").size() == 1);
        String line = accessLines(output, "access-1").get(0);
        assertThat(line).contains("[access-1 team-a]", "method=POST", "model=gemini-2.5-flash",
                "operation=generate", "status=200", "bytes_in=" + PROMPT.length,
                "bytes_out=" + ANSWER.getBytes(StandardCharsets.UTF_8).length, "sdk=gl-java/17.0.15");
        assertThat(line).containsPattern("latency_ms=\\d+\\.\\d");
    }

    @Test
    void theAccessLineOfARelayedAnswerNamesTheUpstreamStatusAndTimeToFirstByte(CapturedOutput output) {
        upstream.enqueue(Reply.json(200, ANSWER));

        call("POST", GENERATE, headers("access-2", RunningGateway.CLIENT_KEY), PROMPT);

        await().atMost(WAIT).until(() -> accessLines(output, "access-2").size() == 1);
        assertThat(accessLines(output, "access-2").get(0))
                .contains("upstream_status=200")
                .containsPattern("ttfb_ms=\\d+\\.\\d");
    }

    @Test
    void theAccessLineOfARejectedRequestNamesTheErrorType(CapturedOutput output) {
        call("POST", GENERATE, headers("access-3", null), PROMPT);

        await().atMost(WAIT).until(() -> accessLines(output, "access-3").size() == 1);
        assertThat(accessLines(output, "access-3").get(0))
                .contains("status=401", "error_type=caller_auth", "upstream_status=-");
    }

    private static List<String> accessLines(CapturedOutput output, String requestId) {
        return output.getAll().lines().filter(line -> line.contains("gateway.access"))
                .filter(line -> line.contains("[" + requestId + " ")).toList();
    }

    /** Starts an upload and sends its only chunk, returning the signed token of the upload URL. */
    private static String uploadThroughTheGateway(String requestId) {
        upstream.enqueue((request, response) -> response.status(200)
                .header("X-Goog-Upload-URL", upstream.baseUrl() + "/upload/v1beta/files?upload_id=u1")
                .header("X-Goog-Upload-Status", "active").send());
        Map<String, String> start = headers(requestId + "-start", RunningGateway.CLIENT_KEY);
        start.put("X-Goog-Upload-Protocol", "resumable");
        start.put("X-Goog-Upload-Command", "start");
        RawHttp.Answer started = call("POST", "/upload/v1beta/files", start,
                "{\"file\": {\"displayName\": \"notes\"}}".getBytes(StandardCharsets.UTF_8));
        URI uploadUrl = URI.create(started.headers().getFirst("X-Goog-Upload-URL"));
        upstream.enqueue((request, response) -> response.status(200).header("X-Goog-Upload-Status", "final")
                .sendString(Mono.just("{\"file\": {\"name\": \"files/u1\"}}")));
        Map<String, String> chunk = headers(requestId + "-chunk", null);
        chunk.put("X-Goog-Upload-Command", "upload, finalize");
        RawHttp.Answer finished = call("POST", uploadUrl.getRawPath() + "?" + uploadUrl.getRawQuery(), chunk,
                PROMPT);
        assertThat(finished.status()).isEqualTo(200);
        return uploadUrl.getRawQuery().replaceAll(".*gateway_upload_token=([^&]*).*", "$1");
    }

    private static RawHttp.Answer call(String method, String path, Map<String, String> headers, byte[] body) {
        return RawHttp.send(gateway.baseUrl(), method, path, headers, body);
    }

    private static Map<String, String> headers(String requestId, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Request-Id", requestId);
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("x-goog-api-key", key);
        }
        return headers;
    }
}
