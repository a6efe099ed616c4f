package io.github.geminigateway.error;

import org.springframework.http.HttpHeaders;

/**
 * Google answered with an error, already read and sanitized: the caller gets Google's status and body (minus
 * DebugInfo and keys), with the headers Google sent that the gateway relays. Rendered, like every failure, by
 * {@link ErrorResponseWriter}.
 */
public final class RelayedUpstreamError extends RuntimeException {

    private final transient UpstreamError error;
    private final transient HttpHeaders headers;

    public RelayedUpstreamError(UpstreamError error, HttpHeaders headers) {
        super("upstream answered HTTP " + error.httpStatus(), null, false, false);
        this.error = error;
        this.headers = headers;
    }

    public UpstreamError error() {
        return error;
    }

    /** The upstream response headers that the gateway relays. */
    public HttpHeaders headers() {
        return headers;
    }
}
