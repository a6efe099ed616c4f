package io.github.geminigateway.limits;

import io.github.geminigateway.limits.store.Charge;

/**
 * One limit as it applies to one request: which limit, whose (a client or model id), and the charge it puts on the
 * store. It also turns a counter's level into the waits the caller is told about.
 */
record Quota(Limit limit, String owner, Charge charge) {

    /**
     * How soon to retry a refused stream slot. Nobody knows when another stream will end; a second is short enough
     * to catch the next free slot and long enough not to hammer the gateway.
     */
    static final long SLOT_RETRY_MILLIS = 1_000;

    /** The QuotaFailure subject: {@code client:<id>} or {@code model:<id>}. */
    String subject() {
        return limit.scope() + ":" + owner;
    }

    /** Whether a counter at this level refuses the charge. */
    boolean refuses(double level) {
        return level < charge.cost();
    }

    /** How long until a counter at this level can take the charge: the real wait, never zero for a refusal. */
    long waitMillis(double level, long nowMillis) {
        return switch (charge.kind()) {
            case BUCKET -> Math.max(1, (long) Math.ceil((charge.cost() - level) * charge.window()
                    / charge.capacity()));
            case WINDOW -> Math.max(1, charge.expiresAt() - nowMillis);
            case SLOT -> SLOT_RETRY_MILLIS;
        };
    }

    /** How long until a counter at this level is full again: a bucket's refill, a day window's end. */
    long resetMillis(double level, long nowMillis) {
        return switch (charge.kind()) {
            case BUCKET -> Math.max(0, (long) Math.ceil((charge.capacity() - level) * charge.window()
                    / charge.capacity()));
            case WINDOW -> Math.max(0, charge.expiresAt() - nowMillis);
            case SLOT -> 0;
        };
    }
}
