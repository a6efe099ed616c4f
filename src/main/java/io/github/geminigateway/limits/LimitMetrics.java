package io.github.geminigateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits' meters: refusals by client and limit, and the headroom left in each configured model budget. The
 * headroom gauges exist from startup for every configured budget, so a dashboard shows a full budget rather than
 * nothing before the first request; each one shows the level the last admission through this replica saw, which with
 * the Redis store is the fleet's. The refusal counters exist from startup too, at zero, for every configured client
 * and limit, so that {@code rate()} sees the first refusal and a dashboard shows 0 rather than "No data".
 */
final class LimitMetrics {

    static final String STORE_ERRORS = "gemini_gateway.limit.store.errors";
    static final String STORE_ERRORS_DESCRIPTION = "Limit-store calls that failed or timed out";

    private final MeterRegistry registry;
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();

    LimitMetrics(MeterRegistry registry, LimitsProperties properties, Set<String> clients) {
        this.registry = registry;
        for (String client : clients) {
            for (Limit limit : Limit.values()) {
                rejectionCounter(client, limit);
            }
        }
        // Registered whatever the store, so dashboards and alerts see a zero rather than no series; the Redis
        // store's guard increments this same counter.
        Counter.builder(STORE_ERRORS).description(STORE_ERRORS_DESCRIPTION).register(registry);
        properties.models().forEach((model, limits) -> {
            gauge(model, Limit.MODEL_REQUESTS_PER_MINUTE, limits.requestsPerMinute());
            gauge(model, Limit.MODEL_INPUT_TOKENS_PER_MINUTE, limits.inputTokensPerMinute());
            gauge(model, Limit.MODEL_REQUESTS_PER_DAY, limits.requestsPerDay());
        });
    }

    void rejected(String client, Limit limit) {
        rejectionCounter(client, limit).increment();
    }

    private Counter rejectionCounter(String client, Limit limit) {
        return rejections.computeIfAbsent(client + '\n' + limit.tag(), key -> Counter
                .builder("gemini_gateway.limit.rejections").tags("client", client, "limit", limit.tag())
                .description("Requests refused by a gateway limit").register(registry));
    }

    /** Records what a model budget holds after an admission. */
    void observed(Quota quota, double level) {
        AtomicLong gauge = remaining.get(quota.owner() + '\n' + quota.limit().tag());
        if (gauge != null) {
            gauge.set(Math.max(0, (long) Math.floor(level)));
        }
    }

    private void gauge(String model, Limit limit, Long capacity) {
        if (capacity != null) {
            AtomicLong value = new AtomicLong(capacity);
            remaining.put(model + '\n' + limit.tag(), value);
            registry.gauge("gemini_gateway.limit.remaining", Tags.of("model", model, "limit", limit.tag()), value);
        }
    }
}
