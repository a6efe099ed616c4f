package io.github.geminigateway.limits;

import io.github.geminigateway.limits.store.Charge;
import io.github.geminigateway.limits.store.LimitStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * An admitted request and what it holds: the token estimates charged to its client and model, and its stream slot.
 * Settling replaces the estimates with the real usage: a larger answer leaves the buckets in debt, a smaller one
 * gives tokens back. Only the first settle and the first release count.
 */
final class ReservedAdmission implements Admission {

    private final LimitStore store;
    private final Clock clock;
    private final List<Quota> tokenQuotas;
    private final Charge slot;
    private final Map<String, String> headers;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();

    ReservedAdmission(LimitStore store, Clock clock, List<Quota> quotas, Map<String, String> headers) {
        this.store = store;
        this.clock = clock;
        this.tokenQuotas = quotas.stream().filter(quota -> quota.limit() == Limit.CLIENT_TOKENS_PER_MINUTE
                || quota.limit() == Limit.MODEL_INPUT_TOKENS_PER_MINUTE).toList();
        this.slot = quotas.stream().map(Quota::charge).filter(charge -> charge.kind() == Charge.Kind.SLOT)
                .findFirst().orElse(null);
        this.headers = Map.copyOf(headers);
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return headers;
    }

    @Override
    public Mono<Void> settle(TokenUsage usage) {
        if (tokenQuotas.isEmpty() || !settled.compareAndSet(false, true)) {
            return Mono.empty();
        }
        List<Charge> corrections = new ArrayList<>(tokenQuotas.size());
        for (Quota quota : tokenQuotas) {
            long used = quota.limit() == Limit.CLIENT_TOKENS_PER_MINUTE ? usage.billable() : usage.prompt();
            if (used != quota.charge().cost()) {
                corrections.add(quota.charge().withCost(used - quota.charge().cost()));
            }
        }
        return corrections.isEmpty() ? Mono.empty()
                : store.adjust(corrections, clock.millis()).onErrorResume(failure -> Mono.empty());
    }

    @Override
    public Mono<Void> release() {
        if (slot == null || !released.compareAndSet(false, true)) {
            return Mono.empty();
        }
        return store.release(slot.key(), slot.lease()).onErrorResume(failure -> Mono.empty());
    }
}
