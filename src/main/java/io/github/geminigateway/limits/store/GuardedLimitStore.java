package io.github.geminigateway.limits.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Puts a remote store's calls on a short leash. Each call gets the configured timeout; every failure counts on
 * {@code gemini_gateway.limit.store.errors} and comes out as a {@link StoreUnavailableException}. An outage is
 * logged once as a warning when it starts and once as info when a call succeeds again, not once per request, so a
 * Redis outage under load does not drown the log.
 */
public final class GuardedLimitStore implements LimitStore {

    private static final Logger log = LoggerFactory.getLogger(GuardedLimitStore.class);

    private final LimitStore store;
    private final Duration timeout;
    private final String failureMode;
    private final Counter errors;
    private final AtomicBoolean down = new AtomicBoolean();

    public GuardedLimitStore(LimitStore store, Duration timeout, String failureMode, MeterRegistry registry) {
        this.store = store;
        this.timeout = timeout;
        this.failureMode = failureMode;
        this.errors = Counter.builder("gemini_gateway.limit.store.errors")
                .description("Limit-store calls that failed or timed out").register(registry);
    }

    @Override
    public Mono<Acquisition> acquire(List<Charge> charges, long nowMillis) {
        return guard(Mono.defer(() -> store.acquire(charges, nowMillis)));
    }

    @Override
    public Mono<Void> adjust(List<Charge> corrections, long nowMillis) {
        return guard(Mono.defer(() -> store.adjust(corrections, nowMillis)));
    }

    @Override
    public Mono<Void> release(String key, String lease) {
        return guard(Mono.defer(() -> store.release(key, lease)));
    }

    private <T> Mono<T> guard(Mono<T> call) {
        return call.timeout(timeout)
                .doOnSuccess(result -> recovered())
                .onErrorMap(failure -> {
                    failed(failure);
                    return new StoreUnavailableException(failure);
                });
    }

    private void failed(Throwable failure) {
        errors.increment();
        if (down.compareAndSet(false, true)) {
            log.warn("Limit store unreachable ({}); requests are {} until it answers again",
                    failure.toString(), failureMode);
        }
    }

    private void recovered() {
        if (down.compareAndSet(true, false)) {
            log.info("Limit store reachable again; limits are enforced");
        }
    }
}
