package io.github.geminigateway.stream;

import static io.github.geminigateway.support.GatewayHttp.post;
import static io.github.geminigateway.support.GatewayHttp.ssePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

/**
 * Streams that go wrong after the caller has started receiving them. Whatever the upstream does (reset, stall, a
 * malformed event, EOF without a finishReason, its own mid-stream error), the caller receives the events that were
 * good, unchanged, and then one terminal error event that its SDK raises; a stream is never retried once bytes have
 * reached the caller. The stream-fault cases are also driven through the official Java SDK, to prove that it raises.
 */
class StreamFaultTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final long IDLE_MILLIS = 500;
    private static final String MODEL = "gemini-2.5-flash";
    private static final String CHUNK_1 = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The sky looks "
            + "blue because\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 7,"
            + "\"candidatesTokenCount\": 5,\"totalTokenCount\": 12},\"modelVersion\": \"gemini-2.5-flash\","
            + "\"responseId\": \"IZI2acSKMoWl0\"}";
    private static final String CHUNK_2 = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" of Rayleigh "
            + "scattering.\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": "
            + "{\"promptTokenCount\": 7,\"candidatesTokenCount\": 11,\"totalTokenCount\": 18},\"modelVersion\": "
            + "\"gemini-2.5-flash\",\"responseId\": \"IZI2acSKMoWl0\"}";
    private static final String EVENT_1 = "data: " + CHUNK_1 + "\r\n\r\n";
    private static final String EVENT_2 = "data: " + CHUNK_2 + "\r\n\r\n";
    private static final String UPSTREAM_MID_STREAM_ERROR =
            "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\",\"status\":\"INTERNAL\"}}";
    private static final Pattern DATA_ERROR_EVENT = Pattern.compile("data: (\\{\"error\":.*})\r\n\r\n");
    private static final String NODE_SDK_2 = "google-genai-sdk/2.18.0 gl-node/v20.0.0";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.retry.initial-backoff=20ms",
                "--gateway.retry.max-backoff=100ms",
                "--gateway.timeouts.first-byte=2s",
                "--gateway.timeouts.idle=" + IDLE_MILLIS + "ms");
    private static final FakeGemini upstream = gateway.upstream();
    private static Client sdk;
    private int before;

    @BeforeAll
    static void start() {
        sdk = Client.builder().apiKey(RunningGateway.CLIENT_KEY)
                .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
                .build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
    }

    @BeforeEach
    void forgetLeftovers() {
        before = upstream.requests().size();
    }

    @Test
    void aStreamCutMidwayDeliversTheFirstEventUnchangedThenATerminalErrorEventAndIsNotRetried() {
        upstream.enqueue(Reply.sseThenReset(EVENT_1), Reply.events(CHUNK_1, CHUNK_2));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/event-stream");
        JsonNode error = terminalErrorAfter(EVENT_1, answer.body());
        assertThat(error.get("code").asInt()).isBetween(500, 599);
        assertThat(error.get("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aStalledStreamIsEndedByTheIdleTimeoutWithADeadlineExceededEvent() {
        upstream.enqueue(Reply.sse(Flux.concat(Flux.just(EVENT_1), Flux.never())));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode error = terminalErrorAfter(EVENT_1, answer.body());
        assertThat(error.get("code").asInt()).isEqualTo(504);
        assertThat(error.get("status").asText()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(IDLE_MILLIS)).isLessThan(BOUND);
    }

    @Test
    void aMalformedEventEndsTheStreamWithATerminalErrorEventInsteadOfRelayingIt() {
        upstream.enqueue(Reply.sse(Flux.just(EVENT_1, "data: {not json\r\n\r\n", EVENT_2)));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode error = terminalErrorAfter(EVENT_1, answer.body());
        assertThat(error.get("code").asInt()).isBetween(500, 599);
        assertThat(answer.body()).doesNotContain("{not json", "Rayleigh");
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void anEndOfStreamWithoutFinishReasonIsReportedAsATerminalErrorEvent() {
        upstream.enqueue(Reply.events(CHUNK_1));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode error = terminalErrorAfter(EVENT_1, answer.body());
        assertThat(error.get("code").asInt()).isBetween(500, 599);
        assertThat(error.get("message").asText()).contains("finishReason");
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aCleanStreamEndingWithAFinishReasonGetsNoErrorEvent() {
        upstream.enqueue(Reply.events(CHUNK_1, CHUNK_2));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(EVENT_1 + EVENT_2);
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void anUpstreamBareMidStreamErrorIsRelayedAsADataErrorEvent() {
        upstream.enqueue(Reply.sse(Flux.just(EVENT_1, UPSTREAM_MID_STREAM_ERROR)));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode error = terminalErrorAfter(EVENT_1, answer.body());
        assertThat(error.get("code").asInt()).isEqualTo(500);
        assertThat(error.get("status").asText()).isEqualTo("INTERNAL");
        assertThat(error.get("message").asText()).isEqualTo("Internal error encountered.");
        assertThat(attempts()).hasSize(1);
    }

    @Test
    void aNodeSdkBefore3GetsTheTerminalErrorAsBareJson() {
        upstream.enqueue(Reply.sseThenReset(EVENT_1));

        Answer answer = post(gateway, ssePath(MODEL), "x-goog-api-client", NODE_SDK_2);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith(EVENT_1);
        String rest = answer.body().substring(EVENT_1.length());
        assertThat(rest).startsWith("{\"error\":").doesNotContain("data:");
        JsonNode error = GatewayHttp.json(rest).get("error");
        assertThat(error.get("code").asInt()).isBetween(500, 599);
        assertThat(attempts()).hasSize(1);
    }

    @Test
    void aStreamResetBeforeItsHeadersIsRetriedBecauseNoByteReachedTheCaller() {
        upstream.enqueue(Reply.reset(), Reply.events(CHUNK_1, CHUNK_2));

        Answer answer = post(gateway, ssePath(MODEL));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(EVENT_1 + EVENT_2);
        assertThat(attempts()).hasSize(2);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aTruncatedStreamIsCountedByReasonAndAsAStreamTruncatedRequest() {
        String model = "gemini-2.0-flash";
        String truncated = "gemini_gateway_streams_truncated_total{model=\"" + model + "\",reason=\"upstream_reset\"}";
        Pattern truncatedRequests = Pattern.compile("gemini_gateway_requests_seconds_count\\{[^}]*"
                + "error_type=\"stream_truncated\"[^}]*model=\"" + model + "\"[^}]*} (\\S+)");
        double truncatedBefore = valueOf(GatewayHttp.prometheus(gateway), Pattern.compile(Pattern.quote(truncated)
                + " (\\S+)"));
        double requestsBefore = valueOf(GatewayHttp.prometheus(gateway), truncatedRequests);
        upstream.enqueue(Reply.sseThenReset(EVENT_1));

        Answer answer = post(gateway, ssePath(model));

        terminalErrorAfter(EVENT_1, answer.body());
        await().atMost(BOUND).untilAsserted(() -> {
            String scrape = GatewayHttp.prometheus(gateway);
            assertThat(valueOf(scrape, Pattern.compile(Pattern.quote(truncated) + " (\\S+)")))
                    .isEqualTo(truncatedBefore + 1);
            assertThat(valueOf(scrape, truncatedRequests)).isEqualTo(requestsBefore + 1);
        });
    }

    @Test
    void theJavaSdkRaisesAStreamCutMidwayAfterYieldingTheFirstChunk() {
        upstream.enqueue(Reply.sseThenReset(EVENT_1));

        SdkStream stream = SdkStream.consume(MODEL);

        assertThat(stream.chunks).containsExactly("The sky looks blue because");
        assertThat(stream.failure).isInstanceOf(ServerException.class);
        assertThat(((ApiException) stream.failure).code()).isBetween(500, 599);
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().get(0).uri()).startsWith("/v1/models/" + MODEL + ":streamGenerateContent");
    }

    @Test
    void theJavaSdkRaisesAStalledStream() {
        upstream.enqueue(Reply.sse(Flux.concat(Flux.just(EVENT_1), Flux.never())));

        SdkStream stream = SdkStream.consume(MODEL);

        assertThat(stream.chunks).containsExactly("The sky looks blue because");
        assertThat(stream.failure).isInstanceOf(ServerException.class);
        assertThat(((ApiException) stream.failure).code()).isEqualTo(504);
        assertThat(attempts()).hasSize(1);
        assertThat(stream.elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(IDLE_MILLIS)).isLessThan(BOUND);
    }

    @Test
    void theJavaSdkRaisesAMalformedChunk() {
        upstream.enqueue(Reply.sse(Flux.just(EVENT_1, "data: {not json\r\n\r\n", EVENT_2)));

        SdkStream stream = SdkStream.consume(MODEL);

        assertThat(stream.chunks).containsExactly("The sky looks blue because");
        assertThat(stream.failure).isInstanceOf(ServerException.class);
        assertThat(attempts()).hasSize(1);
    }

    @Test
    void theJavaSdkRaisesAnEndOfStreamWithoutFinishReason() {
        upstream.enqueue(Reply.events(CHUNK_1));

        SdkStream stream = SdkStream.consume(MODEL);

        assertThat(stream.chunks).containsExactly("The sky looks blue because");
        assertThat(stream.failure).isInstanceOf(ServerException.class);
        assertThat(attempts()).hasSize(1);
    }

    @Test
    void theJavaSdkReadsACleanStreamWithoutRaising() {
        upstream.enqueue(Reply.events(CHUNK_1, CHUNK_2));

        SdkStream stream = SdkStream.consume(MODEL);

        assertThat(stream.failure).isNull();
        assertThat(stream.chunks).containsExactly("The sky looks blue because", " of Rayleigh scattering.");
    }

    /** Asserts the body is exactly the given good events followed by one {@code data:} error event; returns it. */
    private static JsonNode terminalErrorAfter(String goodEvents, String body) {
        assertThat(body).startsWith(goodEvents);
        String rest = body.substring(goodEvents.length());
        Matcher matcher = DATA_ERROR_EVENT.matcher(rest);
        assertThat(matcher.matches()).as("one terminal data: {\"error\":...} event, got: %s", rest).isTrue();
        JsonNode root = GatewayHttp.json(matcher.group(1));
        assertThat(root.fieldNames().next()).isEqualTo("error");
        return root.get("error");
    }

    private List<RecordedRequest> attempts() {
        List<RecordedRequest> all = upstream.requests();
        return all.subList(before, all.size());
    }

    private static double valueOf(String scrape, Pattern series) {
        Matcher matcher = series.matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** A stream read through the SDK to its end: the text of each chunk, and what the iteration threw. */
    private static final class SdkStream {

        private final List<String> chunks = new ArrayList<>();
        private Throwable failure;
        private Duration elapsed;

        static SdkStream consume(String model) {
            SdkStream stream = new SdkStream();
            long start = System.nanoTime();
            stream.failure = catchThrowable(() -> {
                try (ResponseStream<GenerateContentResponse> responses =
                             sdk.models.generateContentStream(model, "hi", null)) {
                    for (GenerateContentResponse response : responses) {
                        stream.chunks.add(response.text());
                    }
                }
            });
            stream.elapsed = Duration.ofNanos(System.nanoTime() - start);
            return stream;
        }
    }
}
