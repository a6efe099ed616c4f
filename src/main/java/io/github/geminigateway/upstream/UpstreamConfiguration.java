package io.github.geminigateway.upstream;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
        List<ApiKey> keys = new ArrayList<>(properties.apiKeys());
        if (properties.apiKeysFile() != null) {
            ApiKeyFile.read(properties.apiKeysFile()).stream().filter(key -> !keys.contains(key)).forEach(keys::add);
        }
        return new UpstreamKeyPool(keys, Clock.systemUTC());
    }

    @Bean
    KeyHealthGauges keyHealthGauges(MeterRegistry registry, UpstreamKeyPool pool) {
        return new KeyHealthGauges(registry, pool);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("gateway.upstream.api-keys-file")
    ApiKeyFile apiKeyFile(UpstreamProperties properties, UpstreamKeyPool pool) {
        return new ApiKeyFile(properties.apiKeysFile(), properties.apiKeys(), pool,
                properties.apiKeysFilePollInterval());
    }

    @Bean(destroyMethod = "close")
    UpstreamClient upstreamClient(UpstreamEndpoint endpoint, UpstreamProperties properties,
                                  TimeoutProperties timeouts) {
        return new UpstreamClient(endpoint.baseUrl(), properties.maxConnections(), timeouts,
                properties.http2());
    }

    @Bean
    UpstreamErrorReader upstreamErrorReader(UpstreamKeyPool keys) {
        return new UpstreamErrorReader(keys::all);
    }
}
