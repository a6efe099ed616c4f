package io.github.geminigateway.limits.store;

/**
 * The counter arithmetic both stores share: the memory store calls it, and the Redis scripts repeat it line for line
 * in Lua. A bucket refills continuously rather than in steps, so a limit of 60 a minute admits one request a second
 * after a burst instead of 60 at the top of each minute.
 */
final class TokenBucket {

    private TokenBucket() {
    }

    /** The level of a bucket last written at {@code at} with {@code level}, as of {@code now}. */
    static double refilled(double level, long at, long now, long capacity, long window) {
        return Math.min(capacity, level + Math.max(0, now - at) * (double) capacity / window);
    }

    /** How long until a bucket at this level is full again; past then its key can go, since absent reads as full. */
    static long millisUntilFull(double level, long capacity, long window) {
        return (long) Math.ceil((capacity - level) * window / capacity);
    }
}
