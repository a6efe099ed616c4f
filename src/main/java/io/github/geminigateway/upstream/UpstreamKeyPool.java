package io.github.geminigateway.upstream;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.RetryInfoDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The upstream keys, handed out in turn. Google's quotas belong to a project and a model, not to a key, so a
 * per-minute 429 cools down every key of that project for that model only, for the delay Google asked for, while the
 * other projects' keys carry on. A key Google rejects (400 API_KEY_INVALID, 401 or 403) leaves the rotation until
 * the key set is replaced. Keys are identified to operators by fingerprint only.
 */
public final class UpstreamKeyPool {

    private final Clock clock;
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<ApiKey> keys;
    private final Set<ApiKey> rejected = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> cooldowns = new ConcurrentHashMap<>();
    private final Map<String, QuotaEvent> lastQuotaEvents = new ConcurrentHashMap<>();
    private final List<Runnable> replaceListeners = new CopyOnWriteArrayList<>();

    public UpstreamKeyPool(List<ApiKey> keys, Clock clock) {
        if (keys.isEmpty()) {
            throw new MissingUpstreamKeyException();
        }
        this.keys = List.copyOf(keys);
        this.clock = clock;
    }

    /** The next usable key for this model; a 429 when all are cooling down, a 503 when Google rejected them all. */
    public ApiKey acquire(String model) {
        List<ApiKey> current = keys;
        Instant now = clock.instant();
        Instant soonest = null;
        for (int i = 0; i < current.size(); i++) {
            ApiKey key = current.get(Math.floorMod(next.getAndIncrement(), current.size()));
            if (rejected.contains(key)) {
                continue;
            }
            Instant until = cooldowns.get(cooldownKey(key, model));
            if (until == null || !until.isAfter(now)) {
                return key;
            }
            soonest = soonest == null || until.isBefore(soonest) ? until : soonest;
        }
        if (soonest == null) {
            throw new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.UPSTREAM_AUTH,
                    "Google rejected every upstream key of the gateway. The gateway operators must replace them.");
        }
        Duration wait = Duration.between(now, soonest);
        throw new GatewayException(ErrorStatus.RESOURCE_EXHAUSTED, ErrorType.UPSTREAM_QUOTA_MINUTE,
                "The upstream per-minute quota is exhausted for every upstream key; retry after the delay.",
                List.of(RetryInfoDetail.of(wait)), wait);
    }

    /** Whether a key other than this one could serve the model right now. */
    public boolean hasAlternativeTo(ApiKey key, String model) {
        Instant now = clock.instant();
        return keys.stream().anyMatch(other -> !other.equals(key) && !rejected.contains(other)
                && !cooldowns.getOrDefault(cooldownKey(other, model), Instant.MIN).isAfter(now));
    }

    /** Cools every key of this key's project down for the model, after a per-minute 429. */
    public void coolDown(ApiKey key, String model, Duration delay) {
        Instant until = clock.instant().plus(delay);
        for (ApiKey sibling : keys) {
            if (sibling.project().equals(key.project())) {
                cooldowns.merge(cooldownKey(sibling, model), until, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        recordQuota(key, model, "per-minute", delay);
    }

    public void recordQuota(ApiKey key, String model, String kind, Duration retryDelay) {
        lastQuotaEvents.put(key.fingerprint() + "/" + model,
                new QuotaEvent(key.fingerprint(), model, kind, clock.instant(), retryDelay));
    }

    public void reject(ApiKey key) {
        rejected.add(key);
    }

    public boolean isRejected(ApiKey key) {
        return rejected.contains(key);
    }

    /** Whether the key is cooling down for any model right now. */
    public boolean isCoolingDown(ApiKey key) {
        Instant now = clock.instant();
        String prefix = key.fingerprint() + "/";
        return cooldowns.entrySet().stream()
                .anyMatch(entry -> entry.getKey().startsWith(prefix) && entry.getValue().isAfter(now));
    }

    /** Replaces the key set (a rotated key file); the state of keys that stay is kept. */
    public void replace(List<ApiKey> newKeys) {
        if (newKeys.isEmpty()) {
            return;
        }
        Set<ApiKey> kept = Set.copyOf(newKeys);
        rejected.retainAll(kept);
        Set<String> fingerprints = kept.stream().map(ApiKey::fingerprint).collect(Collectors.toSet());
        cooldowns.keySet().removeIf(k -> !fingerprints.contains(k.substring(0, k.indexOf('/'))));
        this.keys = List.copyOf(newKeys);
        replaceListeners.forEach(Runnable::run);
    }

    /** Runs the listener after every key-set replacement. */
    public void onReplace(Runnable listener) {
        replaceListeners.add(listener);
    }

    public List<ApiKey> all() {
        return keys;
    }

    /** The latest quota refusal per key and model, for diagnostics. */
    public List<QuotaEvent> lastQuotaEvents() {
        return new ArrayList<>(lastQuotaEvents.values());
    }

    /** Active cooldowns as fingerprint/model to the instant they end. */
    public Map<String, Instant> activeCooldowns() {
        Instant now = clock.instant();
        return cooldowns.entrySet().stream().filter(entry -> entry.getValue().isAfter(now))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String cooldownKey(ApiKey key, String model) {
        return key.fingerprint() + "/" + (model == null ? "-" : model);
    }

    /** A quota refusal Google gave: which key (by fingerprint), which model, what kind, when, and the delay. */
    public record QuotaEvent(String key, String model, String kind, Instant at, Duration retryDelay) {
    }
}
