package io.github.geminigateway.upstream;

/**
 * How far a call may be retried before its first byte. A retry resends the request, so what is safe depends on what a
 * second copy would do upstream.
 */
public enum RetryMode {
    /** A one-shot body (an upload chunk streamed through) cannot be sent twice. */
    NONE,
    /**
     * A create that is not idempotent (an Interactions create: a stored interaction, an agent run). Only what Google
     * demonstrably did not accept is retried: a per-minute 429, a rejected key, a connection that never opened. A 5xx,
     * a reset or a first-byte timeout may come after Google accepted the request, so they go back to the caller
     * (whose SDK retries Interactions calls by default anyway).
     */
    REFUSED_ONLY,
    /** Everything the retry policy allows: generate calls, reads, deletes. */
    ALL
}
