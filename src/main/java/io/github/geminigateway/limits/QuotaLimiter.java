package io.github.geminigateway.limits;

import io.github.geminigateway.limits.LimitsProperties.FailureMode;
import io.github.geminigateway.limits.store.Acquisition;
import io.github.geminigateway.limits.store.LimitStore;
import io.github.geminigateway.limits.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The request limiter: plans a request's quotas, takes them from the store in one atomic step, and answers with an
 * admission that holds them or with the 429 of the limits that refused. A request that meets no limit never touches
 * the store. While the store cannot answer, the failure mode decides: open admits the request uncounted, closed
 * refuses it with a 429; neither waits longer than the store's timeout, and neither is a 5xx.
 */
final class QuotaLimiter implements RequestLimiter {

    /** What a request refused under the closed failure mode is told to wait: long enough for Redis to come back. */
    static final Duration STORE_RETRY = Duration.ofSeconds(1);

    private final QuotaPlanner planner;
    private final LimitStore store;
    private final FailureMode failureMode;
    private final LimitMetrics metrics;
    private final Clock clock;
    /** Per client (a closed set), its last requests-per-minute refusal: what refuseEarly repeats until it lapses. */
    private final Map<String, QuotaRefusal.Refused> refusedUntil = new ConcurrentHashMap<>();

    QuotaLimiter(QuotaPlanner planner, LimitStore store, FailureMode failureMode, LimitMetrics metrics, Clock clock) {
        this.planner = planner;
        this.store = store;
        this.failureMode = failureMode;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Mono<Admission> admit(String clientId, String model, boolean stream, long requestBytes) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return take(clientId, planner.plan(clientId, model, stream, requestBytes, now), now);
        });
    }

    @Override
    public Mono<Admission> admitSession(String clientId, String model, long setupBytes, Duration lease) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return take(clientId, planner.planSession(clientId, model, setupBytes, lease, now), now);
        });
    }

    private Mono<Admission> take(String clientId, List<Quota> quotas, Instant now) {
        if (quotas.isEmpty()) {
            return Mono.just(Admission.UNLIMITED);
        }
        return store.acquire(quotas.stream().map(Quota::charge).toList(), now.toEpochMilli())
                .map(acquisition -> decide(clientId, quotas, acquisition, now.toEpochMilli()))
                .onErrorResume(StoreUnavailableException.class, failure -> storeUnavailable(clientId));
    }

    private Admission decide(String clientId, List<Quota> quotas, Acquisition acquisition, long now) {
        for (int i = 0; i < quotas.size(); i++) {
            metrics.observed(quotas.get(i), acquisition.level(i));
        }
        if (acquisition.taken()) {
            return new ReservedAdmission(store, clock, quotas, RateLimitHeaders.of(quotas, acquisition, now));
        }
        List<QuotaRefusal.Refused> refused = new ArrayList<>();
        for (int i = 0; i < quotas.size(); i++) {
            Quota quota = quotas.get(i);
            if (quota.refuses(acquisition.level(i))) {
                refused.add(new QuotaRefusal.Refused(quota, quota.waitMillis(acquisition.level(i), now)));
            }
        }
        metrics.rejected(clientId, QuotaRefusal.primary(refused).quota().limit());
        // Requests per minute cost 1 each: refused until the wait lapses, every request of the client would be.
        refused.stream().filter(each -> each.quota().limit() == Limit.CLIENT_REQUESTS_PER_MINUTE).findFirst()
                .ifPresent(each -> refusedUntil.put(clientId, new QuotaRefusal.Refused(each.quota(),
                        now + each.waitMillis())));
        throw QuotaRefusal.of(refused);
    }

    @Override
    public void refuseEarly(String clientId) {
        QuotaRefusal.Refused until = refusedUntil.get(clientId);
        if (until == null) {
            return;
        }
        long wait = until.waitMillis() - clock.millis();
        if (wait <= 0) {
            refusedUntil.remove(clientId, until);
            return;
        }
        metrics.rejected(clientId, Limit.CLIENT_REQUESTS_PER_MINUTE);
        throw QuotaRefusal.of(List.of(new QuotaRefusal.Refused(until.quota(), wait)));
    }

    private Mono<Admission> storeUnavailable(String clientId) {
        if (failureMode == FailureMode.OPEN) {
            return Mono.just(Admission.UNLIMITED);
        }
        metrics.rejected(clientId, Limit.STORE_UNAVAILABLE);
        return Mono.error(QuotaRefusal.storeUnavailable(STORE_RETRY));
    }
}
