package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.StreamingCall;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Streams through the whole gateway against a fake Google whose events the test releases one at a time. "Not buffered"
 * is proven by the caller holding event 1 while event 2 has not even been produced upstream yet.
 */
class StreamingRelayTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SSE_PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String JSON_STREAM_PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";
    private static final String REQUEST = "{\"contents\": [{\"parts\": [{\"text\": \"why is the sky blue?\"}]}]}";
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

    @Test
    void eachEventReachesTheCallerBeforeTheNextOneExistsUpstream() throws InterruptedException {
        Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
        upstream.enqueue(Reply.sse(events.asFlux()));
        StreamingCall call = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);
        upstream.awaitRequest(WAIT);

        emit(events, EVENT_1);
        await().atMost(WAIT).until(() -> call.received().equals(EVENT_1));
        assertThat(call.completed()).isFalse();

        emit(events, EVENT_2);
        await().atMost(WAIT).until(() -> call.received().equals(EVENT_1 + EVENT_2));
        assertThat(call.completed()).isFalse();

        events.tryEmitComplete();
        await().atMost(WAIT).until(call::completed);
        assertThat(call.failure()).isNull();
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.contentType()).startsWith("text/event-stream");
        assertThat(call.received()).isEqualTo(EVENT_1 + EVENT_2);
    }

    @Test
    void theResponseHeadersReachTheCallerAsSoonAsGooglesDoNotWithTheFirstEvent() throws InterruptedException {
        // A thinking model may take many seconds to its first event; the caller sees the 200 and its headers before.
        Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
        upstream.enqueue(Reply.sse(events.asFlux()));
        StreamingCall call = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);
        upstream.awaitRequest(WAIT);

        await().atMost(WAIT).until(() -> call.headers() != null);
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.contentType()).startsWith("text/event-stream");
        assertThat(call.headers().get("X-Request-Id")).isNotBlank();
        assertThat(call.received()).isEmpty();

        emit(events, EVENT_1);
        emit(events, EVENT_2);
        events.tryEmitComplete();
        await().atMost(WAIT).until(call::completed);
        assertThat(call.failure()).isNull();
        assertThat(call.received()).isEqualTo(EVENT_1 + EVENT_2);
    }

    @Test
    void eventsKeepTheirBytesAndFramingAndNothingIsInjected() {
        String lfEvent = "data: " + CHUNK_1 + "\n\n";
        String crEvent = "data: " + CHUNK_1 + "\r\r";
        String upstreamBytes = EVENT_1 + lfEvent + crEvent + EVENT_2;
        // Delivered to the gateway in reads that cut through events and terminators.
        upstream.enqueue(Reply.sse(Flux.just(upstreamBytes.substring(0, 17), upstreamBytes.substring(17, 300),
                upstreamBytes.substring(300, EVENT_1.length() + lfEvent.length() + 1),
                upstreamBytes.substring(EVENT_1.length() + lfEvent.length() + 1))));

        StreamingCall call = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);

        await().atMost(WAIT).until(call::completed);
        assertThat(call.received()).isEqualTo(upstreamBytes);
        assertThat(call.received()).doesNotContain("event:", "id:", "retry:", "\n:");
    }

    @Test
    void theStreamIsRequestedWithAltSseAndWithoutCompression() throws InterruptedException {
        upstream.enqueue(Reply.events(CHUNK_2));

        StreamingCall call = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);

        await().atMost(WAIT).until(call::completed);
        RecordedRequest received = upstream.awaitRequest(WAIT);
        assertThat(received.uri()).isEqualTo(SSE_PATH);
        assertThat(received.bodyText()).isEqualTo(REQUEST);
        assertThat(received.headers().contains("Accept-Encoding")).isFalse();
        assertThat(call.headers().get("Content-Length")).isNull();
        assertThat(call.headers().get("Content-Encoding")).isNull();
    }

    @Test
    void aCallerThatGoesAwayClosesTheUpstreamConnection() throws InterruptedException {
        Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
        CountDownLatch upstreamConnectionClosed = new CountDownLatch(1);
        upstream.enqueue((request, response) -> {
            response.withConnection(connection -> connection.onDispose(upstreamConnectionClosed::countDown));
            return Reply.sse(events.asFlux()).answer(request, response);
        });
        int closedBefore = upstream.connectionsClosed();
        StreamingCall call = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);
        upstream.awaitRequest(WAIT);
        emit(events, EVENT_1);
        await().atMost(WAIT).until(() -> call.received().equals(EVENT_1));

        call.cancel();

        assertThat(upstreamConnectionClosed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("the upstream connection of the cancelled stream is closed").isTrue();
        await().atMost(WAIT).until(() -> upstream.connectionsClosed() > closedBefore);
        await().atMost(WAIT).until(() -> events.currentSubscriberCount() == 0);
    }

    @Test
    void theJsonArrayStreamIsRelayedIncrementallyToo() throws InterruptedException {
        Sinks.Many<String> parts = Sinks.many().unicast().onBackpressureBuffer();
        upstream.enqueue((request, response) -> response.status(200)
                .header("Content-Type", "application/json; charset=UTF-8")
                .sendString(parts.asFlux(), StandardCharsets.UTF_8));
        StreamingCall call = StreamingCall.start(gateway.baseUrl() + JSON_STREAM_PATH, REQUEST);
        upstream.awaitRequest(WAIT);

        emit(parts, "[" + CHUNK_1);
        await().atMost(WAIT).until(() -> call.received().equals("[" + CHUNK_1));
        assertThat(call.completed()).isFalse();

        emit(parts, ",\r\n" + CHUNK_2);
        await().atMost(WAIT).until(() -> call.received().equals("[" + CHUNK_1 + ",\r\n" + CHUNK_2));
        emit(parts, "]");
        parts.tryEmitComplete();

        await().atMost(WAIT).until(call::completed);
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.contentType()).isEqualTo("application/json; charset=UTF-8");
        assertThat(call.received()).isEqualTo("[" + CHUNK_1 + ",\r\n" + CHUNK_2 + "]");
    }

    private static void emit(Sinks.Many<String> sink, String text) {
        assertThat(sink.tryEmitNext(text)).isEqualTo(Sinks.EmitResult.OK);
    }
}
