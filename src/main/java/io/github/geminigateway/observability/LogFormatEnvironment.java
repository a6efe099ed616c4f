package io.github.geminigateway.observability;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The {@code LOG_FORMAT=json} switch: turns on Spring Boot's structured logging (Logstash JSON, one object per line,
 * MDC fields such as requestId and clientId included) for the console. Without it, logs stay human-readable, which is
 * what a developer running the gateway locally wants; in a cluster the log shipper wants JSON.
 */
public class LogFormatEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty("LOG_FORMAT", environment.getProperty("gateway.log-format", ""));
        if (format.equalsIgnoreCase("json") && !environment.containsProperty("logging.structured.format.console")) {
            environment.getPropertySources().addLast(new MapPropertySource("gatewayLogFormat",
                    Map.of("logging.structured.format.console", "logstash")));
        }
    }
}
