package io.github.geminigateway.upstream;

import io.github.geminigateway.error.UpstreamErrorReader;
import io.github.geminigateway.resilience.TimeoutProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the upstream side: where Google is, the keys, and the HTTP client. */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {

    @Bean
    UpstreamEndpoint upstreamEndpoint(UpstreamProperties properties) {
        return new UpstreamEndpoint(properties.baseUrl());
    }

    @Bean
    UpstreamKeyPool upstreamKeyPool(UpstreamProperties properties) {
        return new UpstreamKeyPool(properties.apiKeys());
    }

    @Bean(destroyMethod = "close")
    UpstreamClient upstreamClient(UpstreamEndpoint endpoint, UpstreamProperties properties,
                                  TimeoutProperties timeouts) {
        return new UpstreamClient(endpoint.baseUrl(), properties.maxConnections(), timeouts);
    }

    @Bean
    UpstreamErrorReader upstreamErrorReader(UpstreamKeyPool keys) {
        return new UpstreamErrorReader(keys.all());
    }
}
