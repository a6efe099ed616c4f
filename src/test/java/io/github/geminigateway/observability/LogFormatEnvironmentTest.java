package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** {@code LOG_FORMAT=json} switches the console to Spring Boot's structured JSON; without it, logs stay readable. */
class LogFormatEnvironmentTest {

    @Test
    void logFormatJsonSwitchesTheConsoleToStructuredLogging() {
        StandardEnvironment environment = environmentWith(Map.of("LOG_FORMAT", "json"));
        new LogFormatEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("logstash");
    }

    @Test
    void withoutTheSwitchLogsStayHumanReadable() {
        StandardEnvironment environment = environmentWith(Map.of());
        new LogFormatEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("logging.structured.format.console")).isNull();
    }

    @Test
    void anExplicitStructuredFormatWins() {
        StandardEnvironment environment = environmentWith(Map.of("LOG_FORMAT", "json",
                "logging.structured.format.console", "ecs"));
        new LogFormatEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    }

    private static StandardEnvironment environmentWith(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
