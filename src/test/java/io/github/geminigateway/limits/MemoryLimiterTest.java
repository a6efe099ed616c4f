package io.github.geminigateway.limits;

import io.github.geminigateway.limits.store.LimitStore;
import io.github.geminigateway.limits.store.MemoryLimitStore;

/** The limiter contract against the per-replica memory store. */
class MemoryLimiterTest extends LimiterContract {

    private final LimitStore store = new MemoryLimitStore();

    @Override
    LimitStore store() {
        return store;
    }
}
