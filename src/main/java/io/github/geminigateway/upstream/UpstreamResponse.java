package io.github.geminigateway.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The upstream's status and headers, with the body not yet read. The body is the connection's inbound bytes wrapped
 * without copying; cancelling it closes the connection, so a caller that goes away frees the upstream at once.
 * A body that goes silent for longer than the idle timeout closes the connection and fails with a
 * {@link TimeoutException}, which is what a stalled upstream looks like to the relay.
 */
public final class UpstreamResponse {

    private final HttpClientResponse response;
    private final Connection connection;
    private final NettyDataBufferFactory buffers;
    private final AtomicReference<Runnable> onDone = new AtomicReference<>(() -> { });
    private final Duration idle;
    private volatile boolean idledOut;

    UpstreamResponse(HttpClientResponse response, Connection connection, NettyDataBufferFactory buffers,
                     Duration idle) {
        this.response = response;
        this.connection = connection;
        this.buffers = buffers;
        this.idle = idle;
        // A timer on the connection's event loop, reset by every read; the handler goes when the connection is
        // released, so a pooled connection does not keep it.
        connection.onReadIdle(idle.toMillis(), () -> {
            idledOut = true;
            connection.dispose();
        });
    }

    public int status() {
        return response.status().code();
    }

    public HttpHeaders headers() {
        return response.responseHeaders();
    }

    public String header(String name) {
        return response.responseHeaders().get(name);
    }

    /** Runs the action once, when the body has been read to its end, failed, been cancelled or discarded. */
    public void whenDone(Runnable action) {
        onDone.set(action);
    }

    /** The body, once. Each element is one network read; the subscriber releases it. */
    public Flux<DataBuffer> body() {
        return connection.inbound().receive().retain()
                .map(buffer -> (DataBuffer) buffers.wrap(buffer))
                .onErrorMap(failure -> idledOut ? idleTimeout() : failure)
                .concatWith(Mono.defer(() -> idledOut ? Mono.error(idleTimeout()) : Mono.empty()))
                .doOnCancel(connection::dispose)
                .doFinally(signal -> done());
    }

    /** Throws the body away and closes the connection: for a response that will not be relayed. */
    public void discard() {
        connection.dispose();
        done();
    }

    private TimeoutException idleTimeout() {
        return new TimeoutException("the upstream sent nothing for " + idle);
    }

    private void done() {
        onDone.getAndSet(() -> { }).run();
    }
}
