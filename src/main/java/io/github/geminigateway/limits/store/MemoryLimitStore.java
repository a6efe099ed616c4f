package io.github.geminigateway.limits.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Counters in this replica's memory: exact for one replica, and each replica counts alone. One lock guards every
 * counter, because an acquisition spans a client's and a model's counters at once; it is held for a few hundred
 * nanoseconds, which is far from the gateway's bottleneck. Counters that have refilled or ended are swept once a
 * minute, so memory stays bounded by the configured clients and models.
 */
public final class MemoryLimitStore implements LimitStore {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, Map<String, Long>> leases = new HashMap<>();
    private long nextSweep;

    @Override
    public Mono<Acquisition> acquire(List<Charge> charges, long nowMillis) {
        return Mono.fromSupplier(() -> take(charges, nowMillis));
    }

    @Override
    public Mono<Void> adjust(List<Charge> corrections, long nowMillis) {
        return Mono.fromRunnable(() -> settle(corrections, nowMillis));
    }

    @Override
    public Mono<Void> release(String key, String lease) {
        return Mono.fromRunnable(() -> free(key, lease));
    }

    private synchronized Acquisition take(List<Charge> charges, long now) {
        sweep(now);
        double[] levels = new double[charges.size()];
        boolean taken = true;
        for (int i = 0; i < levels.length; i++) {
            levels[i] = level(charges.get(i), now);
            taken &= levels[i] >= charges.get(i).cost();
        }
        if (taken) {
            for (int i = 0; i < levels.length; i++) {
                levels[i] -= charges.get(i).cost();
                write(charges.get(i), levels[i], now);
            }
        }
        return new Acquisition(taken, levels);
    }

    private synchronized void settle(List<Charge> corrections, long now) {
        for (Charge charge : corrections) {
            write(charge, Math.min(charge.capacity(), level(charge, now) - charge.cost()), now);
        }
    }

    private synchronized void free(String key, String lease) {
        Map<String, Long> held = leases.get(key);
        if (held != null && held.remove(lease) != null && held.isEmpty()) {
            leases.remove(key);
        }
    }

    private double level(Charge charge, long now) {
        if (charge.kind() == Charge.Kind.SLOT) {
            Map<String, Long> held = leases.get(charge.key());
            if (held == null) {
                return charge.capacity();
            }
            held.values().removeIf(expiresAt -> expiresAt <= now);
            return charge.capacity() - held.size();
        }
        Counter counter = counters.get(charge.key());
        if (counter == null || counter.expiresAt <= now) {
            return charge.capacity();
        }
        return charge.kind() == Charge.Kind.BUCKET
                ? TokenBucket.refilled(counter.level, counter.at, now, charge.capacity(), charge.window())
                : counter.level;
    }

    private void write(Charge charge, double level, long now) {
        switch (charge.kind()) {
            case SLOT -> leases.computeIfAbsent(charge.key(), key -> new HashMap<>())
                    .put(charge.lease(), charge.expiresAt());
            case WINDOW -> counters.put(charge.key(), new Counter(level, now, charge.expiresAt()));
            case BUCKET -> counters.put(charge.key(), new Counter(level, now,
                    now + TokenBucket.millisUntilFull(level, charge.capacity(), charge.window())));
        }
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_EVERY_MILLIS;
        counters.values().removeIf(counter -> counter.expiresAt <= now);
        leases.values().forEach(held -> held.values().removeIf(expiresAt -> expiresAt <= now));
        leases.values().removeIf(Map::isEmpty);
    }

    /** A counter's level as written at {@code at}; it reads as full (or as a fresh window) from {@code expiresAt}. */
    private record Counter(double level, long at, long expiresAt) {
    }
}
