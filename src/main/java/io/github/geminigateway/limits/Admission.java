package io.github.geminigateway.limits;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A request that the limits let through. It holds what was reserved for it (a request, an estimate of tokens, a
 * stream slot) until the answer is known.
 */
public interface Admission {

    /** {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} of the tightest limit. */
    Map<String, String> rateLimitHeaders();

    /** Replaces the token estimate with what the answer really used. Never fails; store errors are counted. */
    Mono<Void> settle(TokenUsage usage);

    /** Frees the concurrency slot; idempotent, safe to call on every path. */
    void release();

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
        public void release() {
        }
    };
}
