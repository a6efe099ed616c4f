package io.github.geminigateway.observability;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.http.HttpHeaders;

/**
 * Continues the caller's W3C trace into the upstream request. The gateway's server span (Micrometer Tracing with the
 * OpenTelemetry bridge) is a child of the caller's {@code traceparent}; its context replaces the caller's header on
 * the way out, so Google's side of the call hangs under the gateway's span. Without a current span the caller's
 * header, which the header allow-list passes, goes through unchanged.
 */
public final class TracePropagation {

    private final Tracer tracer;
    private final Propagator propagator;

    public TracePropagation(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    public void inject(HttpHeaders upstreamHeaders) {
        TraceContext context = tracer.currentTraceContext().context();
        if (context != null) {
            propagator.inject(context, upstreamHeaders, HttpHeaders::set);
        }
    }
}
