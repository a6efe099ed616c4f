package io.github.geminigateway.simulator;

import io.github.geminigateway.upstream.UpstreamEndpoint;
import io.github.geminigateway.upstream.UpstreamProperties;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The demo profile's upstream: starts the simulator in-process and points the gateway at it, so the gateway runs on a
 * fresh machine with no Google key. Enabled by {@code gateway.simulator.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.simulator.enabled", havingValue = "true")
public class SimulatorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SimulatorConfiguration.class);

    @Bean(destroyMethod = "close")
    GeminiSimulator geminiSimulator(UpstreamProperties upstream, SimulatorProperties properties) {
        String key = upstream.apiKeys().isEmpty() ? null : upstream.apiKeys().get(0).reveal();
        return GeminiSimulator.start(new SimulatorSettings(properties.port(), key, properties.streamChunks(),
                properties.chunkDelay(), Duration.ZERO));
    }

    @Bean
    @Primary
    UpstreamEndpoint simulatorEndpoint(GeminiSimulator simulator) {
        return new UpstreamEndpoint(URI.create(simulator.baseUrl()));
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> demoBanner(GeminiSimulator simulator, SimulatorProperties properties) {
        String key = properties.demoClientKey() == null ? "" : properties.demoClientKey();
        // The port the API listens on is known only once the server has started, so it is read from the event.
        return event -> log.info("Demo mode: the upstream is the built-in Gemini simulator at {}. Call the gateway "
                + "with the demo client key '{}', for example: curl -H 'x-goog-api-key: {}' -H "
                + "'Content-Type: application/json' -d '{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}' "
                + "http://localhost:{}/v1beta/models/gemini-2.5-flash:generateContent",
                simulator.baseUrl(), key, key,
                event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080"));
    }
}
