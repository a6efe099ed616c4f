package io.github.geminigateway.limits;

import io.github.geminigateway.limits.store.GuardedLimitStore;
import io.github.geminigateway.limits.store.LimitStore;
import io.github.geminigateway.limits.store.RedisConnector;
import io.github.geminigateway.limits.store.RedisLimitStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;

/** The limiter contract against the shared Redis store, on a real Redis server. */
class RedisLimiterTest extends LimiterContract {

    private static RedisServerFixture redis;
    private static RedisConnector connector;
    private static LimitStore store;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerFixture.start();
        RedisProperties properties = new RedisProperties();
        properties.setUrl(redis.url());
        connector = RedisConnector.open(properties, Duration.ofSeconds(2));
        store = new GuardedLimitStore(new RedisLimitStore(connector), Duration.ofSeconds(2), "admitted uncounted",
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopRedis() {
        connector.close();
        redis.close();
    }

    @Override
    LimitStore store() {
        return store;
    }
}
