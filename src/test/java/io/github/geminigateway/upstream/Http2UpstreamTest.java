package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.support.StreamingCall;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;

/**
 * The gateway with {@code gateway.upstream.http2=true} in front of a fake Google speaking h2c: calls become streams
 * that share a connection, so what one stream does must not reach the others on that connection.
 */
class Http2UpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SSE_PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String GENERATE_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String REQUEST = "{\"contents\": [{\"parts\": [{\"text\": \"why is the sky blue?\"}]}]}";
    private static final String STREAM_ID = "x-http2-stream-id";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.upstream.http2=true");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void callsGoUpstreamAsHttp2StreamsWithTheUpstreamKeyAndComeBackUnchanged() throws InterruptedException {
        ResponseEntity<String> answer = gateway.client().post().uri(GENERATE_PATH)
                .header("Content-Type", "application/json").bodyValue(REQUEST).retrieve().toEntity(String.class)
                .block(WAIT);

        RecordedRequest received = upstream.awaitRequest(WAIT);
        assertThat(received.protocol()).isEqualTo("HTTP/2.0");
        assertThat(received.headers().get("x-goog-api-key")).isEqualTo(RunningGateway.UPSTREAM_KEY);
        assertThat(received.bodyText()).isEqualTo(REQUEST);
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody()).isEqualTo(FakeGemini.GENERATE_JSON);
        // Netty's HTTP/2-to-HTTP/1 conversion adds the stream id as a header; it is not Google's, so not relayed.
        assertThat(answer.getHeaders().containsKey(STREAM_ID)).isFalse();
    }

    @Test
    void aCallerThatStopsReadingDoesNotStallTheOtherStreamsOnItsConnectionNorDoesItsLeaving() throws Exception {
        // Stream A: far more than every buffer on the way can hold, to a caller that never reads.
        String bigEvent = "data: {\"text\":\"" + "a".repeat(16 * 1024) + "\"}\r\n\r\n";
        int bigEvents = 4096;
        AtomicLong sentToA = new AtomicLong();
        AtomicBoolean aCancelledUpstream = new AtomicBoolean();
        upstream.enqueue(Reply.sse(Flux.range(0, bigEvents).map(i -> bigEvent)
                .doOnNext(event -> sentToA.incrementAndGet())
                .doOnCancel(() -> aCancelledUpstream.set(true))));
        try (Socket callerA = new Socket()) {
            callerA.setReceiveBufferSize(4096);
            callerA.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
            sendStreamRequest(callerA);
            RecordedRequest requestA = upstream.awaitRequest(WAIT);
            awaitStalled(sentToA);

            // Stream B on the same upstream connection (the next stream id on it) still gets each event at once.
            Sinks.Many<String> eventsB = Sinks.many().unicast().onBackpressureBuffer();
            upstream.enqueue(Reply.sse(eventsB.asFlux()));
            StreamingCall callerB = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);
            RecordedRequest requestB = upstream.awaitRequest(WAIT);
            assertThat(Integer.parseInt(requestB.headers().get(STREAM_ID)))
                    .isEqualTo(Integer.parseInt(requestA.headers().get(STREAM_ID)) + 2);

            eventsB.tryEmitNext("data: {\"n\":1}\r\n\r\n");
            await().atMost(WAIT).until(() -> callerB.received().contains("{\"n\":1}"));
            assertThat(sentToA.get()).isLessThan(bigEvents);

            // Caller A leaves: its upstream stream is cancelled, not the connection B shares with it.
            callerA.close();
            await().atMost(WAIT).untilTrue(aCancelledUpstream);
            eventsB.tryEmitNext("data: {\"n\":2,\"candidates\":[{\"finishReason\":\"STOP\"}]}\r\n\r\n");
            eventsB.tryEmitComplete();
            await().atMost(WAIT).until(callerB::completed);
            assertThat(callerB.failure()).isNull();
            assertThat(callerB.received()).contains("{\"n\":2,").doesNotContain("\"error\"");
        }
    }

    @Test
    void whenTheConnectionIsLostEveryStreamOnItEndsWithTheTerminalErrorEventNotACleanEnd() throws Exception {
        Sinks.Many<String> eventsA = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<String> eventsB = Sinks.many().unicast().onBackpressureBuffer();
        AtomicReference<Connection> streamB = new AtomicReference<>();
        upstream.enqueue(Reply.sse(eventsA.asFlux()), (request, response) -> {
            response.withConnection(streamB::set);
            return Reply.sse(eventsB.asFlux()).answer(request, response);
        });
        StreamingCall callerA = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);
        upstream.awaitRequest(WAIT);
        StreamingCall callerB = StreamingCall.start(gateway.baseUrl() + SSE_PATH, REQUEST);
        upstream.awaitRequest(WAIT);
        eventsA.tryEmitNext("data: {\"n\":1}\r\n\r\n");
        eventsB.tryEmitNext("data: {\"n\":1}\r\n\r\n");
        await().atMost(WAIT).until(() -> callerA.received().contains("{\"n\":1}")
                && callerB.received().contains("{\"n\":1}"));

        // The TCP connection both streams share goes away, as when Google's front end drops it.
        streamB.get().channel().parent().close();

        await().atMost(WAIT).until(() -> callerA.completed() && callerB.completed());
        for (StreamingCall caller : List.of(callerA, callerB)) {
            assertThat(caller.received()).startsWith("data: {\"n\":1}\r\n\r\n")
                    .contains("data: {\"error\":{\"code\":503,")
                    .contains("closed the stream before it finished");
        }
    }

    private static void sendStreamRequest(Socket caller) throws IOException {
        byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
        OutputStream out = caller.getOutputStream();
        out.write(("POST " + SSE_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-goog-api-key: " + RunningGateway.CLIENT_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Until the upstream has stopped sending on a stream for a while: every buffer up to the caller is full. */
    private static void awaitStalled(AtomicLong sent) {
        AtomicLong lastSeen = new AtomicLong(-1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(700))
                .until(() -> sent.get() > 0 && sent.get() == lastSeen.getAndSet(sent.get()));
    }
}
