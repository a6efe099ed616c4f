package io.github.geminigateway.diagnostics;

import io.github.geminigateway.auth.ClientProperties;
import io.github.geminigateway.upstream.TimeoutProperties;
import io.github.geminigateway.upstream.UpstreamClient;
import io.github.geminigateway.upstream.UpstreamEndpoint;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import io.github.geminigateway.upstream.UpstreamProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the {@code /actuator/gemini} diagnostics endpoint. */
@Configuration(proxyBeanMethods = false)
public class DiagnosticsConfiguration {

    @Bean
    GeminiDiagnosticsEndpoint geminiDiagnosticsEndpoint(UpstreamEndpoint endpoint, UpstreamClient client,
                                                        UpstreamKeyPool keys, UpstreamErrorReader errors,
                                                        CircuitBreakerRegistry breakers, ClientProperties clients,
                                                        UpstreamProperties upstream, TimeoutProperties timeouts) {
        return new GeminiDiagnosticsEndpoint(endpoint, client, keys, errors, breakers, clients, upstream, timeouts);
    }
}
