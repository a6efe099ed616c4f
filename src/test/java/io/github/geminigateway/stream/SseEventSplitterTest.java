package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class SseEventSplitterTest {

    private static final String E1 = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The sky\"}]}}]}";
    private static final String E2 = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" is blue\"}]},"
            + "\"finishReason\": \"STOP\"}]}";

    @Test
    void anUpstreamFailureRightBehindAReadWaitsUntilEveryEventOfThatReadIsOut() {
        DataBuffer read = DefaultDataBufferFactory.sharedInstance.wrap((E1 + "\n\n" + E2 + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        TestPublisher<DataBuffer> body = TestPublisher.create();
        Flux<String> events = SseEventSplitter.split(body.flux()).map(bytes -> new String(bytes, StandardCharsets.UTF_8));

        // As Reactor Netty does on a reset: the error comes at once, while the relay has not asked for the next event.
        StepVerifier.create(events, 1)
                .then(() -> body.next(read))
                .expectNext(E1 + "\n\n")
                .then(() -> body.error(new IllegalStateException("connection reset")))
                .thenRequest(1)
                .expectNext(E2 + "\n\n")
                .expectErrorMessage("connection reset")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void splitsEventsAtLfLf() {
        assertThat(split(E1 + "\n\n" + E2 + "\n\n")).containsExactly(E1 + "\n\n", E2 + "\n\n");
    }

    @Test
    void splitsEventsAtCrLfCrLfAndKeepsTheCrLf() {
        assertThat(split(E1 + "\r\n\r\n" + E2 + "\r\n\r\n")).containsExactly(E1 + "\r\n\r\n", E2 + "\r\n\r\n");
    }

    @Test
    void splitsEventsAtCrCr() {
        assertThat(split(E1 + "\r\r" + E2 + "\r\r")).containsExactly(E1 + "\r\r", E2 + "\r\r");
    }

    @Test
    void splitsMixedTerminatorsAtTheEarliestOne() {
        assertThat(split(E1 + "\r\n\r\n" + E2 + "\n\n" + E1 + "\r\r"))
                .containsExactly(E1 + "\r\n\r\n", E2 + "\n\n", E1 + "\r\r");
    }

    @Test
    void aMultiLineEventStaysOneEvent() {
        String event = "data: {\"a\":\r\ndata: 1}\r\n\r\n";
        assertThat(split(event + event)).containsExactly(event, event);
    }

    @Test
    void eventsFedOneByteAtATimeComeOutWholeAndUnchanged() {
        for (String terminator : new String[] {"\n\n", "\r\n\r\n", "\r\r"}) {
            String stream = E1 + terminator + E2 + terminator + E1 + terminator;
            byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
            List<byte[]> reads = new ArrayList<>();
            for (byte b : bytes) {
                reads.add(new byte[] {b});
            }
            assertThat(strings(SseEventSplitter.split(buffers(reads)).collectList().block()))
                    .containsExactly(E1 + terminator, E2 + terminator, E1 + terminator);
        }
    }

    @Test
    void arbitraryReadBoundariesNeverChangeTheEventsOrTheirBytes() {
        String stream = E1 + "\r\n\r\n" + E2 + "\n\n" + "data: {\"text\": \"\u00e9t\u00e9 \u2603\"}\r\n\r\n"
                + E1 + "\r\r" + "{\"error\": {\"code\": 500}}";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<String> expected = split(stream);
        assertThat(expected).hasSize(5);
        Random random = new Random(20261124);
        for (int round = 0; round < 500; round++) {
            List<byte[]> reads = new ArrayList<>();
            int at = 0;
            while (at < bytes.length) {
                int size = 1 + random.nextInt(Math.min(16, bytes.length - at));
                reads.add(Arrays.copyOfRange(bytes, at, at + size));
                at += size;
            }
            List<byte[]> events = SseEventSplitter.split(buffers(reads)).collectList().block();
            assertThat(strings(events)).as("round %d", round).isEqualTo(expected);
            assertThat(concat(events)).as("the bytes, and the terminator the last event lacked")
                    .isEqualTo((stream + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void severalEventsInOneReadComeOutSeparately() {
        assertThat(split(E1 + "\n\n" + E2 + "\n\n" + E1 + "\n\n")).hasSize(3);
    }

    @Test
    void trailingBytesWithoutTerminatorAreEmittedAtEndOfStreamWithTheTerminatorTheyLacked() {
        String bareError = "{\"error\": {\"code\": 500, \"message\": \"An internal error has occurred.\", "
                + "\"status\": \"INTERNAL\"}}";
        assertThat(split(E1 + "\r\n\r\n" + bareError)).containsExactly(E1 + "\r\n\r\n", bareError + "\n\n");
        // An SSE parser drops an unterminated event at the end: a final event must not vanish that way.
        assertThat(split(E1 + "\n")).containsExactly(E1 + "\n\n");
        assertThat(split(E1 + "\r\n")).containsExactly(E1 + "\r\n\r\n");
    }

    @Test
    void anEmptyBodyHasNoEvents() {
        assertThat(SseEventSplitter.split(Flux.empty()).collectList().block()).isEmpty();
    }

    @Test
    void eachSubscriptionStartsWithAFreshSplitter() {
        Flux<byte[]> events = SseEventSplitter.split(Flux.defer(() -> buffers(List.of(
                (E1 + "\n\n" + E2).getBytes(StandardCharsets.UTF_8)))));
        assertThat(strings(events.collectList().block())).containsExactly(E1 + "\n\n", E2 + "\n\n");
        assertThat(strings(events.collectList().block())).containsExactly(E1 + "\n\n", E2 + "\n\n");
    }

    private static List<String> split(String stream) {
        return strings(SseEventSplitter.split(buffers(List.of(stream.getBytes(StandardCharsets.UTF_8))))
                .collectList().block());
    }

    private static Flux<DataBuffer> buffers(List<byte[]> reads) {
        return Flux.fromIterable(reads).map(DefaultDataBufferFactory.sharedInstance::wrap);
    }

    private static List<String> strings(List<byte[]> events) {
        return events.stream().map(event -> new String(event, StandardCharsets.UTF_8)).toList();
    }

    private static byte[] concat(List<byte[]> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
