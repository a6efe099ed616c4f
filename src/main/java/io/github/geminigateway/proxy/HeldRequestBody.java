package io.github.geminigateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A joined request body, kept so that a retry can send it again, and let go once the call has its answer. Without
 * the release, the reactive chain of a stream holds the body for as long as the stream runs: a 20 MB prompt (inline
 * images) per stream, for minutes, across thousands of streams.
 */
final class HeldRequestBody {

    private final int length;
    private final Runnable onRelease;
    private volatile byte[] bytes;

    HeldRequestBody(byte[] bytes) {
        this(bytes, () -> { });
    }

    /** @param onRelease what to do when the body is let go: give its bytes back to the gateway's body budget */
    HeldRequestBody(byte[] bytes, Runnable onRelease) {
        this.bytes = bytes;
        this.length = bytes.length;
        this.onRelease = onRelease;
    }

    int length() {
        return length;
    }

    /** The body as a fresh buffer for each subscription, that is, each attempt. */
    Publisher<ByteBuf> replayable() {
        return length == 0 ? Mono.empty() : Mono.fromSupplier(() -> {
            byte[] held = bytes;
            if (held == null) {
                throw new IllegalStateException("the request body was released before its last attempt");
            }
            return Unpooled.wrappedBuffer(held);
        });
    }

    /** No attempt follows: the upstream has answered. */
    void release() {
        bytes = null;
        onRelease.run();
    }
}
