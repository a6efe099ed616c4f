package io.github.geminigateway.resilience;

import io.github.geminigateway.observability.GatewayMetrics;
import io.github.geminigateway.observability.ModelTags;
import io.github.geminigateway.upstream.UpstreamClient;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import io.github.geminigateway.upstream.UpstreamProperties;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires retries, the per-model circuit breakers (from resilience4j's registry, configured under
 * {@code resilience4j.circuitbreaker.configs.default}) and the bulkhead around upstream calls.
 */
@Configuration(proxyBeanMethods = false)
public class ResilienceConfiguration {

    @Bean
    RetryPolicy retryPolicy(RetryProperties properties, GatewayMetrics metrics) {
        return RetryPolicy.create(properties, metrics, Clock.systemUTC());
    }

    @Bean
    ResilientUpstream resilientUpstream(UpstreamClient client, UpstreamKeyPool keys, UpstreamErrorReader errors,
                                        CircuitBreakerRegistry breakers, RetryPolicy retryPolicy,
                                        RetryProperties retryProperties, ModelProperties models, UpstreamProperties upstream,
                                        GatewayMetrics metrics, ModelTags modelTags) {
        // The configured models' breakers exist from startup, so their state gauges do too (alerts watch them).
        modelTags.configured().forEach(breakers::circuitBreaker);
        Bulkhead bulkhead = Bulkhead.of("gemini-upstream", BulkheadConfig.custom()
                .maxConcurrentCalls(upstream.maxConcurrentRequests()).maxWaitDuration(Duration.ZERO).build());
        return new ResilientUpstream(client, keys, errors, breakers, bulkhead, retryPolicy, retryProperties,
                models, metrics, modelTags);
    }
}
