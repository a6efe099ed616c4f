package io.github.geminigateway.limits.store;

/**
 * One amount to take from one counter. A store takes all the charges of a request or none of them, so a request that
 * one limit refuses leaves no trace in the others.
 *
 * @param kind      how the counter refills
 * @param key       the counter's name in the store
 * @param capacity  the most the counter holds
 * @param window    for a bucket, the milliseconds it takes to refill from empty; unused otherwise
 * @param cost      what the request takes; when settling, what it takes beyond its reservation (negative refunds)
 * @param expiresAt for a day window, when it ends; for a slot, when the lease lapses (epoch milliseconds)
 * @param lease     for a slot, the lease id that release frees; null otherwise
 */
public record Charge(Kind kind, String key, long capacity, long window, long cost, long expiresAt, String lease) {

    public static Charge bucket(String key, long capacity, long window, long cost) {
        return new Charge(Kind.BUCKET, key, capacity, window, cost, 0, null);
    }

    public static Charge window(String key, long capacity, long cost, long endsAt) {
        return new Charge(Kind.WINDOW, key, capacity, 0, cost, endsAt, null);
    }

    public static Charge slot(String key, long capacity, String lease, long leaseExpiresAt) {
        return new Charge(Kind.SLOT, key, capacity, 0, 1, leaseExpiresAt, lease);
    }

    /** The same bucket with another cost, for settling a reservation. */
    public Charge withCost(long newCost) {
        return new Charge(kind, key, capacity, window, newCost, expiresAt, lease);
    }

    /** How a counter refills. */
    public enum Kind {
        /** A token bucket that refills continuously, {@code capacity} per {@code window}. */
        BUCKET,
        /** A counter that never refills and ends at {@code expiresAt}; the next window is another key. */
        WINDOW,
        /** A set of leases, one per open stream, each freed by release or by lapsing. */
        SLOT
    }
}
