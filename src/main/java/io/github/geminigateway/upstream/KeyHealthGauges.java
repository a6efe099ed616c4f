package io.github.geminigateway.upstream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes each upstream key's health by fingerprint: {@code gemini_gateway_upstream_key_healthy} (1 usable, 0
 * rejected by Google) and {@code gemini_gateway_upstream_key_cooling_down} (1 while waiting out a per-minute 429).
 * Keys added by a key-file reload get their gauges when they arrive.
 */
public final class KeyHealthGauges {

    private final MeterRegistry registry;
    private final UpstreamKeyPool pool;

    public KeyHealthGauges(MeterRegistry registry, UpstreamKeyPool pool) {
        this.registry = registry;
        this.pool = pool;
        register();
        pool.onReplace(this::register);
    }

    private void register() {
        for (ApiKey key : pool.all()) {
            Gauge.builder("gemini_gateway.upstream.key.healthy", pool, p -> p.all().contains(key)
                            && !p.isRejected(key) ? 1 : 0)
                    .tag("key", key.fingerprint()).register(registry);
            Gauge.builder("gemini_gateway.upstream.key.cooling.down", pool, p -> p.isCoolingDown(key) ? 1 : 0)
                    .tag("key", key.fingerprint()).register(registry);
        }
    }
}
