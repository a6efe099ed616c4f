package io.github.geminigateway.resilience;

import io.github.geminigateway.observability.GatewayMetrics;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The upstream retry rule as a resilience4j {@link Retry}: only {@link UpstreamFailure}s are retried, at most
 * {@code max-attempts} in all, while the retry budget allows. The wait is Google's {@code RetryInfo} delay when it
 * gave one (zero when another key can take the request), otherwise exponential backoff with full jitter: a random
 * wait between zero and {@code min(max-backoff, initial-backoff * 2^(retry-1))}, which spreads the retries of many
 * callers that failed together.
 */
public record RetryPolicy(Retry retry, RetryBudget budget) {

    private static final long COOLDOWN_MARGIN_MILLIS = 25;

    public static RetryPolicy create(RetryProperties properties, GatewayMetrics metrics, Clock clock) {
        RetryBudget budget = new RetryBudget(properties.budgetRatio(), properties.budgetMinimum(),
                properties.budgetWindow(), clock);
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            Throwable failure = outcome.isLeft() ? outcome.getLeft() : null;
            if (failure instanceof UpstreamFailure upstream && upstream.delay() != null) {
                // A little past the delay, so the key's cooldown (wall clock) has surely ended on retry.
                return upstream.delay().isZero() ? 0 : upstream.delay().toMillis() + COOLDOWN_MARGIN_MILLIS;
            }
            return fullJitter(properties, attempt);
        };
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(properties.maxAttempts())
                .retryOnException(failure -> failure instanceof UpstreamFailure && budget.hasRoom())
                .intervalBiFunction(interval)
                .build();
        Retry retry = Retry.of("gemini-upstream", config);
        metrics.expectRetries(Stream.of(RetryReason.values()).map(RetryReason::tag).toList());
        retry.getEventPublisher().onRetry(event -> {
            budget.spend();
            if (event.getLastThrowable() instanceof UpstreamFailure failure) {
                metrics.retry(failure.model(), failure.reason().tag());
            }
        });
        return new RetryPolicy(retry, budget);
    }

    static long fullJitter(RetryProperties properties, int retryNumber) {
        double ceiling = properties.initialBackoff().toMillis() * Math.pow(2, Math.max(0, retryNumber - 1));
        long capped = (long) Math.min(properties.maxBackoff().toMillis(), ceiling);
        return capped <= 0 ? 0 : ThreadLocalRandom.current().nextLong(capped + 1);
    }
}
