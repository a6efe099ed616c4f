package io.github.geminigateway.observability;

import io.github.geminigateway.auth.ClientProperties;
import io.github.geminigateway.error.ErrorResponseWriter;
import io.github.geminigateway.limits.LimitsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires correlation, error rendering, metrics and request reporting. */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    static {
        LogContext.register();
        DroppedErrors.install();
    }

    /** The configured models: those of the clients' allow-lists and those with a budget of their own. */
    @Bean
    ModelTags modelTags(ClientProperties clients, LimitsProperties limits) {
        Set<String> configured = Stream.concat(clients.clients().values().stream()
                        .flatMap(client -> Stream.concat(client.models().stream(), client.agents().stream())),
                        limits.models().keySet().stream())
                .map(model -> model.startsWith("models/") ? model.substring("models/".length()) : model)
                .map(agent -> agent.startsWith("agents/") ? agent.substring("agents/".length()) : agent)
                .collect(Collectors.toSet());
        return new ModelTags(configured);
    }

    @Bean
    GatewayMetrics gatewayMetrics(MeterRegistry registry, ModelTags models, ClientProperties clients) {
        return new GatewayMetrics(registry, models, clients.clients().keySet());
    }

    @Bean
    TracePropagation tracePropagation(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TracePropagation(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    RequestObserver requestObserver(GatewayMetrics metrics) {
        return new RequestObserver(metrics);
    }

    @Bean
    CorrelationFilter correlationFilter(RequestObserver observer) {
        return new CorrelationFilter(new ErrorResponseWriter(), observer);
    }
}
