package io.github.geminigateway.stream;

import io.github.geminigateway.error.GeminiErrorBody;
import io.github.geminigateway.error.UpstreamErrorReader;
import io.github.geminigateway.stream.GenerateResponseScanner.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * Relays a server-sent-event stream so that it never ends in a lie. Events pass through unchanged while they are
 * well-formed; the stream ends cleanly only when the upstream closed it after a final event (one with a finishReason
 * or a prompt block). Every other ending (reset, mid-stream error, stall, deadline, malformed event, EOF without a
 * finishReason) becomes one terminal error event, framed so that the caller's SDK raises it.
 *
 * <p>One guard serves one stream; it is not reusable.
 */
public final class StreamGuard {

    private final ResponseFacts facts;
    private final StreamErrorFraming framing;
    private final UpstreamErrorReader errorReader;
    private final String requestId;
    private final Consumer<TruncationReason> onTruncated;
    private boolean finished;
    private boolean deadlinePassed;
    private boolean terminated;

    public StreamGuard(ResponseFacts facts, StreamErrorFraming framing, UpstreamErrorReader errorReader,
                       String requestId, Consumer<TruncationReason> onTruncated) {
        this.facts = facts;
        this.framing = framing;
        this.errorReader = errorReader;
        this.requestId = requestId;
        this.onTruncated = onTruncated;
    }

    /**
     * @param body     the upstream body, read by read; it fails with a {@link TimeoutException} when it stalls
     * @param deadline how long the stream may still run in total
     */
    public Flux<byte[]> guard(Flux<DataBuffer> body, Duration deadline) {
        Flux<DataBuffer> bounded = body.takeUntilOther(Mono.delay(deadline).doOnNext(tick -> deadlinePassed = true));
        return SseEventSplitter.split(bounded)
                .handle(this::inspect)
                .onErrorResume(failure -> Flux.just(terminal(failure instanceof TimeoutException
                        ? TruncationReason.IDLE_TIMEOUT : TruncationReason.UPSTREAM_RESET)))
                .concatWith(Mono.fromSupplier(this::endOfStream));
    }

    private void inspect(byte[] event, SynchronousSink<byte[]> sink) {
        int start = payloadStart(event);
        int end = payloadEnd(event);
        if (start >= end) {
            sink.next(event);
            return;
        }
        Kind kind = GenerateResponseScanner.scan(event, start, end - start, facts);
        switch (kind) {
            case CHUNK -> {
                finished = false;
                sink.next(event);
            }
            case FINAL_CHUNK -> {
                finished = true;
                sink.next(event);
            }
            case ERROR -> {
                sink.next(upstreamError(event, start, end));
                sink.complete();
            }
            case MALFORMED -> {
                sink.next(terminal(TruncationReason.MALFORMED_EVENT));
                sink.complete();
            }
        }
    }

    /** Null (nothing more to send) after a clean end; otherwise the terminal error for an unfinished stream. */
    private byte[] endOfStream() {
        if (terminated || finished) {
            return null;
        }
        return terminal(deadlinePassed ? TruncationReason.TOTAL_TIMEOUT : TruncationReason.NO_FINISH_REASON);
    }

    private byte[] upstreamError(byte[] event, int start, int end) {
        terminated = true;
        onTruncated.accept(TruncationReason.UPSTREAM_ERROR);
        byte[] json = java.util.Arrays.copyOfRange(event, start, end);
        return framing.frame(errorReader.read(500, json, false, requestId).body());
    }

    private byte[] terminal(TruncationReason reason) {
        terminated = true;
        onTruncated.accept(reason);
        return framing.frame(GeminiErrorBody.of(reason.status().httpStatus(), reason.status().rpcName(),
                reason.message(), List.of(), requestId));
    }

    /** Where the JSON starts: after {@code data:} and one optional space, or at the first byte of a bare object. */
    private static int payloadStart(byte[] event) {
        int i = 0;
        if (event.length >= 5 && event[0] == 'd' && event[1] == 'a' && event[2] == 't' && event[3] == 'a'
                && event[4] == ':') {
            i = 5;
        }
        while (i < event.length && (event[i] == ' ' || event[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int payloadEnd(byte[] event) {
        int end = event.length;
        while (end > 0 && (event[end - 1] == '\n' || event[end - 1] == '\r' || event[end - 1] == ' ')) {
            end--;
        }
        return end;
    }
}
