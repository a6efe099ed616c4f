package io.github.geminigateway.limits.store;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Where the limit counters live. Every operation is atomic with respect to every other, across all replicas that
 * share the store, so two requests can never both pass on the same balance. The caller passes the time, so that all
 * stores agree on it and tests can move it.
 */
public interface LimitStore {

    /** Takes every charge if each counter holds at least its cost, else takes none. */
    Mono<Acquisition> acquire(List<Charge> charges, long nowMillis);

    /**
     * Settles bucket reservations: takes each charge's cost whatever the level (debt allowed), or gives back a
     * negative cost, never beyond capacity.
     */
    Mono<Void> adjust(List<Charge> corrections, long nowMillis);

    /** Frees a slot lease; freeing one that is gone does nothing. */
    Mono<Void> release(String key, String lease);
}
