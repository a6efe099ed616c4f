package io.github.geminigateway.observability;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Continues the caller's W3C trace into the upstream request. With tracing on ({@code management.tracing.enabled}),
 * the gateway's server span (Micrometer Tracing, OpenTelemetry bridge) is a child of the caller's
 * {@code traceparent}; its context replaces the caller's header on the way out, so Google's side of the call hangs
 * under the gateway's span. With tracing off, the caller's header, which the header allow-list passes, goes through
 * unchanged.
 */
public final class TracePropagation {

    private final Tracer tracer;
    private final Propagator propagator;
    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

    public TracePropagation(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Adds the current span's context to the headers; the span is read from the Reactor context of the request. */
    public Mono<HttpHeaders> inject(HttpHeaders upstreamHeaders) {
        if (tracer == Tracer.NOOP) {
            return Mono.just(upstreamHeaders);
        }
        return Mono.deferContextual(context -> {
            try (ContextSnapshot.Scope scope = snapshots.setThreadLocalsFrom(context)) {
                TraceContext current = tracer.currentTraceContext().context();
                if (current != null) {
                    propagator.inject(current, upstreamHeaders, HttpHeaders::set);
                }
            }
            return Mono.just(upstreamHeaders);
        });
    }
}
