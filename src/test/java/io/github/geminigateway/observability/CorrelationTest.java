package io.github.geminigateway.observability;

import static io.github.geminigateway.error.GeminiErrorAssert.assertGatewayError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.error.GeminiErrorAssert;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/** The request id: accepted when well-formed, minted otherwise, echoed on every answer and sent upstream. */
class CorrelationTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private static final byte[] BODY = "{\"contents\": [{\"parts\": [{\"text\": \"hi\"}]}]}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aWellFormedRequestIdIsEchoedAndSentUpstream() throws InterruptedException {
        RawHttp.Answer answer = generate(Map.of("X-Request-Id", "order-42.retry:1_A"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().get("X-Request-Id")).containsExactly("order-42.retry:1_A");
        assertThat(upstream.awaitRequest(WAIT).headers().getAll("X-Request-Id")).containsExactly("order-42.retry:1_A");
    }

    @Test
    void withoutARequestIdOneIsMintedEchoedAndSentUpstream() throws InterruptedException {
        RawHttp.Answer answer = generate(Map.of());

        String minted = answer.headers().getFirst("X-Request-Id");
        assertThat(minted).matches("[0-9a-f]{32}");
        assertThat(upstream.awaitRequest(WAIT).headers().get("X-Request-Id")).isEqualTo(minted);
    }

    @Test
    void anIllFormedRequestIdIsReplacedNotEchoed() throws InterruptedException {
        RawHttp.Answer answer = generate(Map.of("X-Request-Id", "x".repeat(129)));

        String replaced = answer.headers().getFirst("X-Request-Id");
        assertThat(replaced).matches("[0-9a-f]{32}");
        assertThat(upstream.awaitRequest(WAIT).headers().get("X-Request-Id")).isEqualTo(replaced);
        assertThat(generate(Map.of("X-Request-Id", "has spaces; and=more")).headers().getFirst("X-Request-Id"))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void aTraceparentIsForwardedInTheSameTraceAndItsTraceIdBecomesTheRequestId() throws InterruptedException {
        RawHttp.Answer answer = generate(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"));

        assertThat(answer.headers().getFirst("X-Request-Id")).isEqualTo(TRACE_ID);
        RecordedRequest received = upstream.awaitRequest(WAIT);
        String forwarded = received.headers().get("traceparent");
        assertThat(forwarded).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-9a-f]");
        assertThat(forwarded.split("-")[1]).isEqualTo(TRACE_ID);
        assertThat(received.headers().get("X-Request-Id")).isEqualTo(TRACE_ID);
    }

    @Test
    void aWellFormedRequestIdWinsOverTheTraceparent() {
        RawHttp.Answer answer = generate(Map.of("X-Request-Id", "caller-7", "traceparent", TRACEPARENT));

        assertThat(answer.headers().getFirst("X-Request-Id")).isEqualTo("caller-7");
    }

    @Test
    void gatewayErrorsCarryTheCallersRequestIdInHeaderAndBody() {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Request-Id", "caller-err-1");
        headers.put("Content-Type", "application/json");

        RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST", GENERATE, headers, BODY);

        JsonNode error = assertGatewayError(answer.status(), answer.headers(), answer.body(), 401, "UNAUTHENTICATED");
        assertThat(GeminiErrorAssert.requestInfoIds(error)).containsExactly("caller-err-1");
    }

    @Test
    void upstreamErrorsCarryTheRequestIdToo() {
        upstream.enqueue(Reply.json(404, "{\"error\": {\"code\": 404, \"message\": \"not found\", "
                + "\"status\": \"NOT_FOUND\"}}"));

        RawHttp.Answer answer = generate(Map.of("X-Request-Id", "caller-err-2"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.headers().getFirst("X-Request-Id")).isEqualTo("caller-err-2");
        assertThat(GeminiErrorAssert.requestInfoIds(GeminiErrorAssert.parse(answer.text()).get("error")))
                .containsExactly("caller-err-2");
    }

    @Test
    void theUpstreamsOwnRequestIdHeaderDoesNotReplaceTheGateways() {
        upstream.enqueue((request, response) -> response.status(200).header("Content-Type", "application/json")
                .header("X-Request-Id", "google-side-id").sendString(Mono.just(FakeGemini.GENERATE_JSON)));

        RawHttp.Answer answer = generate(Map.of("X-Request-Id", "caller-8"));

        assertThat(answer.headers().get("X-Request-Id")).containsExactly("caller-8");
    }

    @Test
    void streamsCarryTheRequestIdHeader() {
        upstream.enqueue(Reply.events(FakeGemini.GENERATE_JSON));
        Map<String, String> headers = withKey(Map.of("X-Request-Id", "caller-stream-1"));

        RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST",
                "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", headers, BODY);

        assertThat(answer.headers().getFirst("Content-Type")).startsWith("text/event-stream");
        assertThat(answer.headers().getFirst("X-Request-Id")).isEqualTo("caller-stream-1");
    }

    private static RawHttp.Answer generate(Map<String, String> extra) {
        return RawHttp.send(gateway.baseUrl(), "POST", GENERATE, withKey(extra), BODY);
    }

    private static Map<String, String> withKey(Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("x-goog-api-key", RunningGateway.CLIENT_KEY);
        headers.put("Content-Type", "application/json");
        return headers;
    }
}
