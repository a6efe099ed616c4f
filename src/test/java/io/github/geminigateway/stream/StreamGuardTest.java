package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The guard's verdicts on whole streams, with a dialect that reads each event's verdict from its text: which events
 * reach the caller, and which truncation (if any) ends the stream. The dialects' own reading of real events is in
 * their tests; the relay tests prove the guard is wired in.
 */
class StreamGuardTest {

    private static final Duration DEADLINE = Duration.ofMinutes(10);

    /** Reads "data: CHUNK" as CHUNK, and so on; its terminal events name the reason. */
    private static final StreamDialect BY_NAME = new StreamDialect() {
        @Override
        public Verdict read(byte[] event, ResponseFacts facts) {
            return Verdict.valueOf(text(event).substring("data: ".length()).strip());
        }

        @Override
        public byte[] terminalError(TruncationReason reason, String requestId) {
            return bytes("data: TERMINAL " + reason.tag() + "\n\n");
        }

        @Override
        public byte[] upstreamError(byte[] event, UpstreamErrorReader errorReader, String requestId) {
            return bytes("data: RELAYED ERROR\n\n");
        }
    };

    static Stream<Arguments> streams() {
        IOException reset = new IOException("Connection reset by peer");
        TimeoutException stall = new TimeoutException("the upstream sent nothing for 60s");
        return Stream.of(
                // upstream events, how the body ends (null: closed) -> what the caller gets, truncation
                row(List.of("CHUNK", "FINAL"), null, List.of("CHUNK", "FINAL"), null),
                row(List.of("PASS", "CHUNK", "PASS", "FINAL", "PASS"), null,
                        List.of("PASS", "CHUNK", "PASS", "FINAL", "PASS"), null),
                row(List.of("CHUNK", "FINAL", "DONE"), null, List.of("CHUNK", "FINAL", "DONE"), null),
                row(List.of("CHUNK"), null, List.of("CHUNK", "TERMINAL no_finish_reason"),
                        TruncationReason.NO_FINISH_REASON),
                row(List.of(), null, List.of("TERMINAL no_finish_reason"), TruncationReason.NO_FINISH_REASON),
                // A chunk after a final event: more was to come.
                row(List.of("FINAL", "CHUNK"), null, List.of("FINAL", "CHUNK", "TERMINAL no_finish_reason"),
                        TruncationReason.NO_FINISH_REASON),
                // A sentinel before the final event would make the SDK stop reading at a truncation.
                row(List.of("CHUNK", "DONE", "FINAL"), null, List.of("CHUNK", "TERMINAL no_finish_reason"),
                        TruncationReason.NO_FINISH_REASON),
                row(List.of("CHUNK", "ERROR", "CHUNK"), null, List.of("CHUNK", "RELAYED ERROR"),
                        TruncationReason.UPSTREAM_ERROR),
                row(List.of("CHUNK", "MALFORMED", "FINAL"), null, List.of("CHUNK", "TERMINAL malformed_event"),
                        TruncationReason.MALFORMED_EVENT),
                row(List.of("CHUNK"), reset, List.of("CHUNK", "TERMINAL upstream_reset"),
                        TruncationReason.UPSTREAM_RESET),
                // The connection must close cleanly too: a reset after the final event is still a broken stream.
                row(List.of("FINAL"), reset, List.of("FINAL", "TERMINAL upstream_reset"),
                        TruncationReason.UPSTREAM_RESET),
                row(List.of("CHUNK"), stall, List.of("CHUNK", "TERMINAL idle_timeout"),
                        TruncationReason.IDLE_TIMEOUT));
    }

    @ParameterizedTest(name = "{0} then {1}: {2}")
    @MethodSource("streams")
    void verdict(List<String> upstream, Throwable ending, List<String> relayed, TruncationReason truncation) {
        List<TruncationReason> truncations = new ArrayList<>();
        Flux<DataBuffer> body = Flux.fromIterable(upstream).map(StreamGuardTest::event);
        if (ending != null) {
            body = body.concatWith(Flux.error(ending));
        }

        List<String> got = new StreamGuard(new ResponseFacts(), BY_NAME, null, "req-1", truncations::add)
                .guard(body, DEADLINE).map(StreamGuardTest::verdictOf).collectList().block(Duration.ofSeconds(5));

        assertThat(got).isEqualTo(relayed);
        assertThat(truncations).isEqualTo(truncation == null ? List.of() : List.of(truncation));
    }

    @Test
    void aStreamStillOpenAtItsDeadlineEndsWithTheTotalTimeout() {
        List<TruncationReason> truncations = new ArrayList<>();

        StepVerifier.withVirtualTime(() -> new StreamGuard(new ResponseFacts(), BY_NAME, null, "req-1",
                                truncations::add)
                        .guard(Flux.just(event("CHUNK")).concatWith(Flux.never()), DEADLINE)
                        .map(StreamGuardTest::verdictOf))
                .expectNext("CHUNK")
                .expectNoEvent(DEADLINE.minusSeconds(1))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("TERMINAL total_timeout")
                .verifyComplete();
        assertThat(truncations).containsExactly(TruncationReason.TOTAL_TIMEOUT);
    }

    @Test
    void aStreamThatHadFinishedWhenTheDeadlineCameEndsCleanly() {
        List<TruncationReason> truncations = new ArrayList<>();

        StepVerifier.withVirtualTime(() -> new StreamGuard(new ResponseFacts(), BY_NAME, null, "req-1",
                                truncations::add)
                        .guard(Flux.just(event("FINAL")).concatWith(Flux.never()), DEADLINE)
                        .map(StreamGuardTest::verdictOf))
                .expectNext("FINAL")
                .thenAwait(DEADLINE)
                .verifyComplete();
        assertThat(truncations).isEmpty();
    }

    private static Arguments row(List<String> upstream, Throwable ending, List<String> relayed,
                                 TruncationReason truncation) {
        return Arguments.of(upstream, ending, relayed, truncation);
    }

    private static DataBuffer event(String verdict) {
        return DefaultDataBufferFactory.sharedInstance.wrap(bytes("data: " + verdict + "\n\n"));
    }

    private static String verdictOf(byte[] event) {
        return text(event).substring("data: ".length()).strip();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
