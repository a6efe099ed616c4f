package io.github.geminigateway.limits;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A request that the limits let through. It holds what was reserved for it (a request, an estimate of tokens, a
 * stream slot) until the answer is known; {@link #close} is the one call that ends it, made by the owner of the
 * admission's lifetime when the call ends, whichever way it ends.
 */
public interface Admission {

    /** {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} of the tightest limit. */
    Map<String, String> rateLimitHeaders();

    /** Replaces the token estimate with what the answer really used. Never fails; store errors are counted. */
    Mono<Void> settle(TokenUsage usage);

    /** Frees the concurrency slot. Never fails: a slot the store cannot free lapses with its lease. */
    Mono<Void> release();

    /**
     * Settles and frees in one step.
     *
     * @param usage what the answer used; null keeps the estimate charged (the usage is not known, or not yet)
     */
    default Mono<Void> close(TokenUsage usage) {
        // Both at once: the response's end waits for this, so it should wait for one store round trip, not two.
        return Mono.when(usage == null ? Mono.<Void>empty() : settle(usage), release());
    }

    Admission UNLIMITED = new Admission() {
        @Override
        public Map<String, String> rateLimitHeaders() {
            return Map.of();
        }

        @Override
        public Mono<Void> settle(TokenUsage usage) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> release() {
            return Mono.empty();
        }
    };
}
