package io.github.geminigateway.proxy;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.RetryInfoDetail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on the request-body bytes the whole gateway holds at once, and on what one client may hold of it. Each body
 * is read whole (a retry resends it), so without a cap enough concurrent large requests exhaust the heap: with the
 * chart's 576 MiB heap, 26 concurrent 20 MB requests ended the process with an OutOfMemoryError. Without the
 * per-client cap one client sending bodies slowly could hold the whole budget and lock every other client out. Past
 * either cap a request gets a 503 with {@code Retry-After}, as it is read, before its body is held.
 */
final class BodyBudget {

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final long capacity;
    private final long perClient;
    private final AtomicLong held = new AtomicLong();
    /** Keyed by client id, a closed set (the configured clients). */
    private final Map<String, AtomicLong> heldByClient = new ConcurrentHashMap<>();

    BodyBudget(long capacity, long perClient) {
        this.capacity = capacity;
        this.perClient = perClient;
    }

    /** One request's share; give it back with {@link Share#release}, as often as convenient. */
    Share share(String clientId) {
        return new Share(heldByClient.computeIfAbsent(clientId, id -> new AtomicLong()));
    }

    long held() {
        return held.get();
    }

    static GatewayException overloaded() {
        return new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.GATEWAY_OVERLOADED,
                "The gateway holds as many request bodies as it can at the moment, for this client or for all; "
                        + "retry shortly.",
                List.of(RetryInfoDetail.of(RETRY)), RETRY);
    }

    /** The bytes one request holds. */
    final class Share {

        private final AtomicLong taken = new AtomicLong();
        private final AtomicLong client;

        private Share(AtomicLong client) {
            this.client = client;
        }

        /** Takes more bytes for this request; false, taking nothing, when its client or the gateway holds too much. */
        boolean tryTake(long bytes) {
            if (client.addAndGet(bytes) > perClient) {
                client.addAndGet(-bytes);
                return false;
            }
            if (held.addAndGet(bytes) > capacity) {
                held.addAndGet(-bytes);
                client.addAndGet(-bytes);
                return false;
            }
            taken.addAndGet(bytes);
            return true;
        }

        /** Gives back what this request holds; later calls give back nothing more. */
        void release() {
            long bytes = taken.getAndSet(0);
            if (bytes > 0) {
                held.addAndGet(-bytes);
                client.addAndGet(-bytes);
            }
        }
    }
}
