package io.github.geminigateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps retries at a share of requests over a sliding window (ten buckets), the way gRPC and Finagle retry budgets do.
 * When Google is down for everyone, every request would otherwise be sent {@code max-attempts} times and the gateway
 * would multiply the load on a struggling upstream; with the budget, most requests fail fast after one attempt.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final double ratio;
    private final int minimum;
    private final long bucketMillis;
    private final Clock clock;
    private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);

    public RetryBudget(double ratio, int minimum, Duration window, Clock clock) {
        this.ratio = ratio;
        this.minimum = minimum;
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
        this.clock = clock;
    }

    public void recordRequest() {
        requests.incrementAndGet(bucket());
    }

    /** Whether the budget has room for one more retry now. */
    public boolean hasRoom() {
        bucket();
        long epoch = clock.millis() / bucketMillis;
        long requestTotal = 0;
        long retryTotal = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epoch - epochs.get(i) < BUCKETS) {
                requestTotal += requests.get(i);
                retryTotal += retries.get(i);
            }
        }
        return retryTotal < Math.max(minimum, (long) (requestTotal * ratio));
    }

    /** Records a retry that is being made. */
    public void spend() {
        retries.incrementAndGet(bucket());
    }

    /** The bucket for now, cleared first if it last served an older window. */
    private int bucket() {
        long epoch = clock.millis() / bucketMillis;
        int index = (int) (epoch % BUCKETS);
        long seen = epochs.get(index);
        if (seen != epoch && epochs.compareAndSet(index, seen, epoch)) {
            requests.set(index, 0);
            retries.set(index, 0);
        }
        return index;
    }
}
