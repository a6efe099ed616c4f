package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Tracing off drops the tracing auto-configurations and keeps the operator's own exclusions, in either form. */
class TracingSwitchTest {

    @Test
    void tracingOffExcludesTheTracerAndKeepsAnExclusionListWrittenAsYamlList() {
        StandardEnvironment environment = environmentWith(Map.of("management.tracing.enabled", "false",
                "spring.autoconfigure.exclude[0]", "com.example.FirstAutoConfiguration",
                "spring.autoconfigure.exclude[1]", "com.example.SecondAutoConfiguration"));

        new TracingSwitch().postProcessEnvironment(environment, new SpringApplication());

        assertThat(exclusions(environment)).containsExactly("com.example.FirstAutoConfiguration",
                "com.example.SecondAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration");
        assertThat(environment.getProperty("management.observations.enable.http.server.requests")).isEqualTo("false");
    }

    @Test
    void tracingOffKeepsACommaSeparatedExclusion() {
        StandardEnvironment environment = environmentWith(Map.of("management.tracing.enabled", "false",
                "spring.autoconfigure.exclude", "com.example.FirstAutoConfiguration"));

        new TracingSwitch().postProcessEnvironment(environment, new SpringApplication());

        assertThat(exclusions(environment)).startsWith("com.example.FirstAutoConfiguration").hasSize(3);
    }

    @Test
    void tracingOnChangesNothing() {
        StandardEnvironment environment = environmentWith(Map.of("management.tracing.enabled", "true"));

        new TracingSwitch().postProcessEnvironment(environment, new SpringApplication());

        assertThat(exclusions(environment)).isEmpty();
        assertThat(environment.getProperty("management.observations.enable.http.server.requests")).isNull();
    }

    private static List<String> exclusions(StandardEnvironment environment) {
        return Binder.get(environment).bind("spring.autoconfigure.exclude", Bindable.listOf(String.class))
                .orElse(List.of());
    }

    private static StandardEnvironment environmentWith(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
