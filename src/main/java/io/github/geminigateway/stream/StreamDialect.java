package io.github.geminigateway.stream;

import io.github.geminigateway.upstream.UpstreamErrorReader;

/**
 * How one API surface speaks in its event streams: what each event says (so the {@link StreamGuard} knows when a
 * stream has really finished), and how a broken stream is told to the caller in a terminal event of the surface's
 * own shape, the one its SDKs raise.
 */
public interface StreamDialect {

    /** What one event was. */
    enum Verdict {
        /** Nothing to judge (a comment, a blank keep-alive): relayed, the stream's state unchanged. */
        PASS,
        /** A well-formed event after which more must come. */
        CHUNK,
        /** A well-formed event after which the stream may end cleanly. */
        FINAL,
        /** A sentinel that ends the stream ({@code [DONE]}): clean only after a final event. */
        DONE,
        /** The upstream's own error, mid-stream. */
        ERROR,
        MALFORMED
    }

    /** Reads one whole event (its bytes as received, terminator included) and notes usage and outcome in facts. */
    Verdict read(byte[] event, ResponseFacts facts);

    /** The terminal event for a stream the gateway had to end. */
    byte[] terminalError(TruncationReason reason, String requestId);

    /** The terminal event for an error event of the upstream's own, sanitized. */
    byte[] upstreamError(byte[] event, UpstreamErrorReader errorReader, String requestId);
}
