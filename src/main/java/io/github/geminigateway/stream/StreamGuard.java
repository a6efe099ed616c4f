package io.github.geminigateway.stream;

import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * Relays a server-sent-event stream so that it never ends in a lie. Events pass through unchanged while they are
 * well-formed; the stream ends cleanly only when the upstream closed it after a final event, as the surface's
 * {@link StreamDialect} defines it (generateContent: a finishReason or a prompt block; Interactions:
 * {@code interaction.completed}). Every other ending (reset, mid-stream error, stall, deadline, malformed event, EOF
 * before the final event) becomes one terminal error event in the dialect's own shape, which the caller's SDK raises.
 *
 * <p>One guard serves one stream; it is not reusable.
 */
public final class StreamGuard {

    private final ResponseFacts facts;
    private final StreamDialect dialect;
    private final UpstreamErrorReader errorReader;
    private final String requestId;
    private final Consumer<TruncationReason> onTruncated;
    private boolean finished;
    private boolean deadlinePassed;
    private boolean terminated;

    public StreamGuard(ResponseFacts facts, StreamDialect dialect, UpstreamErrorReader errorReader,
                       String requestId, Consumer<TruncationReason> onTruncated) {
        this.facts = facts;
        this.dialect = dialect;
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
        switch (dialect.read(event, facts)) {
            case PASS -> sink.next(event);
            case CHUNK -> {
                finished = false;
                sink.next(event);
            }
            case FINAL -> {
                finished = true;
                sink.next(event);
            }
            case DONE -> {
                // A sentinel before the final event would make the SDK stop reading at a truncation.
                sink.next(finished ? event : terminal(TruncationReason.NO_FINISH_REASON));
                sink.complete();
            }
            case ERROR -> {
                sink.next(upstreamError(event));
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

    private byte[] upstreamError(byte[] event) {
        terminated = true;
        onTruncated.accept(TruncationReason.UPSTREAM_ERROR);
        return dialect.upstreamError(event, errorReader, requestId);
    }

    private byte[] terminal(TruncationReason reason) {
        terminated = true;
        onTruncated.accept(reason);
        return dialect.terminalError(reason, requestId);
    }
}
