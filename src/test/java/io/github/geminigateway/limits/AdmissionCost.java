package io.github.geminigateway.limits;

import io.github.geminigateway.limits.LimitsProperties.ClientLimits;
import io.github.geminigateway.limits.LimitsProperties.Counting;
import io.github.geminigateway.limits.LimitsProperties.FailureMode;
import io.github.geminigateway.limits.LimitsProperties.ModelLimits;
import io.github.geminigateway.limits.LimitsProperties.Store;
import io.github.geminigateway.limits.store.GuardedLimitStore;
import io.github.geminigateway.limits.store.LimitStore;
import io.github.geminigateway.limits.store.MemoryLimitStore;
import io.github.geminigateway.limits.store.RedisConnector;
import io.github.geminigateway.limits.store.RedisLimitStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import reactor.core.publisher.Flux;

/**
 * A rough measurement, not a test: what admit plus settle costs per request with every limit configured (client
 * RPM, TPM and stream cap; model RPM, input TPM and RPD), on the memory store and on a local Redis, one at a time and
 * 64 in flight. Run it with the command in docs/limits.md.
 */
public final class AdmissionCost {

    private AdmissionCost() {
    }

    public static void main(String[] args) {
        measure("memory", new MemoryLimitStore(), 200_000);
        try (RedisServerFixture redis = RedisServerFixture.start()) {
            RedisProperties properties = new RedisProperties();
            properties.setUrl(redis.url());
            RedisConnector connector = RedisConnector.open(properties, Duration.ofSeconds(1));
            measure("redis", new GuardedLimitStore(new RedisLimitStore(connector), Duration.ofSeconds(1), "open",
                    new SimpleMeterRegistry()), 20_000);
            connector.close();
        }
    }

    private static void measure(String name, LimitStore store, int requests) {
        long huge = 1_000_000_000_000L;
        LimitsProperties properties = new LimitsProperties(
                Map.of("team-a", new ClientLimits(huge, huge, 1_000_000, null)),
                Map.of("gemini-2.5-flash", new ModelLimits(huge, huge, huge)),
                new Counting(Store.MEMORY, FailureMode.OPEN, Duration.ofSeconds(1), "bench", 512, 4));
        QuotaLimiter limiter = new QuotaLimiter(new QuotaPlanner(properties, Duration.ofMinutes(11)), store,
                FailureMode.OPEN, new LimitMetrics(new SimpleMeterRegistry(), properties, Set.of()), Clock.systemUTC());
        TokenUsage usage = new TokenUsage(300, 200, 100, 0);
        for (int concurrency : new int[] {1, 64}) {
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                Flux.range(0, requests)
                        .flatMap(i -> limiter.admit("team-a", "gemini-2.5-flash", true, 2_000)
                                .flatMap(admission -> admission.close(usage)),
                                concurrency)
                        .blockLast();
                double micros = (System.nanoTime() - start) / 1_000.0 / requests;
                System.out.printf(Locale.ROOT, "%-6s in flight %2d, round %d: %8.2f us per admit+settle+release "
                        + "(%,.0f per second)%n", name, concurrency, round + 1, micros, 1_000_000 / micros);
            }
        }
    }
}
