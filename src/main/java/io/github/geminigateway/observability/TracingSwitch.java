package io.github.geminigateway.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code management.tracing.enabled=false} (the default) mean no tracing work at all. Spring Boot's own switch
 * only stops exporting and propagating: the OpenTelemetry tracer, its observation handlers and the per-request
 * {@code http.server.requests} observation still run, and they cost a large part of the unary throughput
 * (bench/results). With tracing off the gateway drops them; its own {@code gemini_gateway.requests} timer is the request
 * metric either way, and the caller's {@code traceparent} is still forwarded unchanged.
 */
public class TracingSwitch implements EnvironmentPostProcessor, Ordered {

    static final List<String> TRACING_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty("management.tracing.enabled", Boolean.class, true)) {
            return;
        }
        Map<String, Object> off = new LinkedHashMap<>();
        // Keeps the operator's own exclusions, whether written as one comma-separated value or as a YAML list.
        List<String> excluded = new ArrayList<>(Binder.get(environment)
                .bind("spring.autoconfigure.exclude", Bindable.listOf(String.class)).orElse(List.of()));
        excluded.addAll(TRACING_AUTO_CONFIGURATIONS);
        off.put("spring.autoconfigure.exclude", String.join(",", excluded));
        if (!environment.containsProperty("management.observations.enable.http.server.requests")) {
            off.put("management.observations.enable.http.server.requests", false);
        }
        // First, so that it wins over the exclusions it already includes.
        environment.getPropertySources().addFirst(new MapPropertySource("gatewayTracingOff", off));
    }

    @Override
    public int getOrder() {
        // After the config files are loaded (ConfigDataEnvironmentPostProcessor), so application.yml's value counts.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
