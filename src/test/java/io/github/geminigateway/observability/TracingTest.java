package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.RunningGateway;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * With tracing switched on, the upstream request carries the caller's trace id under the gateway's own span: the
 * trace continues through the gateway instead of skipping it. With it off (the default), no tracing machinery runs at
 * all and the caller's header goes upstream unchanged.
 */
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void theUpstreamRequestContinuesTheCallersTraceUnderTheGatewaysSpan() throws InterruptedException {
        try (FakeGemini upstream = FakeGemini.start();
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(),
                     "--management.tracing.enabled=true", "--management.tracing.sampling.probability=1.0")) {
            gateway.client().post().uri("/v1beta/models/gemini-2.5-flash:generateContent")
                    .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"contents\":[]}")
                    .retrieve().toBodilessEntity().block(Duration.ofSeconds(10));

            RecordedRequest sent = upstream.awaitRequest(Duration.ofSeconds(5));
            String traceparent = sent.headers().get("traceparent");
            assertThat(traceparent).startsWith("00-" + TRACE_ID + "-").doesNotContain(CALLER_SPAN);
        }
    }

    @Test
    void withTracingOffNoTracerRunsAndTheCallersTraceparentGoesUpstreamUnchanged() throws InterruptedException {
        String callerTraceparent = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
        try (FakeGemini upstream = FakeGemini.start();
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl())) {
            assertThat(gateway.context().getBeansOfType(Tracer.class).values())
                    .allSatisfy(tracer -> assertThat(tracer).isSameAs(Tracer.NOOP));
            assertThat(gateway.context().getEnvironment()
                    .getProperty("management.observations.enable.http.server.requests")).isEqualTo("false");

            gateway.client().post().uri("/v1beta/models/gemini-2.5-flash:generateContent")
                    .header("traceparent", callerTraceparent)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"contents\":[]}")
                    .retrieve().toBodilessEntity().block(Duration.ofSeconds(10));

            assertThat(upstream.awaitRequest(Duration.ofSeconds(5)).headers().get("traceparent"))
                    .isEqualTo(callerTraceparent);
        }
    }
}
