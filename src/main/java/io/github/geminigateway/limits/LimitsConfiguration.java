package io.github.geminigateway.limits;

import io.github.geminigateway.auth.ClientProperties;
import io.github.geminigateway.config.BracketedIdCheck;
import io.github.geminigateway.limits.LimitsProperties.Counting;
import io.github.geminigateway.limits.LimitsProperties.FailureMode;
import io.github.geminigateway.limits.store.GuardedLimitStore;
import io.github.geminigateway.limits.store.LimitStore;
import io.github.geminigateway.limits.store.MemoryLimitStore;
import io.github.geminigateway.limits.store.RedisConnector;
import io.github.geminigateway.limits.store.RedisLimitStore;
import io.github.geminigateway.upstream.TimeoutProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the request limits: the store that {@code gateway.limits.store} names, and the limiter over it. The Redis
 * client exists only with the Redis store, so a gateway that counts in memory never needs, probes or reports on a
 * Redis server.
 */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    /** Stream slots outlive the longest stream by this much, so only a dead replica's slots ever lapse. */
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

    @Bean
    RequestLimiter requestLimiter(LimitsProperties properties, ClientProperties clients, LimitStore limitStore,
                                  TimeoutProperties timeouts, MeterRegistry registry, ObjectProvider<Clock> clock,
                                  Environment environment) {
        BracketedIdCheck.check(environment);
        return new QuotaLimiter(new QuotaPlanner(properties, timeouts.longestTotal().plus(LEASE_MARGIN)), limitStore,
                properties.limits().redisFailureMode(), new LimitMetrics(registry, properties, clients.clients().keySet()),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnProperty(name = "gateway.limits.store", havingValue = "memory", matchIfMissing = true)
    LimitStore memoryLimitStore() {
        return new MemoryLimitStore();
    }

    /** The shared store, on the Redis that {@code spring.data.redis.*} describes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "gateway.limits.store", havingValue = "redis")
    @EnableConfigurationProperties(RedisProperties.class)
    static class RedisStoreConfiguration {

        @Bean
        RedisConnector limitsRedisConnector(RedisProperties redis, LimitsProperties properties) {
            return RedisConnector.open(redis, properties.limits().redisTimeout());
        }

        @Bean
        LimitStore redisLimitStore(RedisConnector connector, LimitsProperties properties, MeterRegistry registry) {
            Counting counting = properties.limits();
            return new GuardedLimitStore(new RedisLimitStore(connector), counting.redisTimeout(),
                    counting.redisFailureMode() == FailureMode.OPEN ? "admitted uncounted" : "refused", registry);
        }
    }
}
