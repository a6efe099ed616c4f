package io.github.geminigateway.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Upstream retries ({@code gateway.retry.*}).
 *
 * @param maxAttempts    attempts in all, the first included
 * @param initialBackoff the backoff ceiling of the first retry; it doubles per retry, with full jitter
 * @param maxBackoff     the largest backoff ceiling
 * @param maxRetryDelay  the longest Google {@code RetryInfo.retryDelay} the gateway waits out itself; a longer one
 *                       goes straight back to the caller
 * @param budgetRatio    retries allowed as a share of requests over the budget window, so an upstream outage does
 *                       not turn into a retry storm
 * @param budgetWindow   the sliding window of the retry budget
 * @param budgetMinimum  retries always allowed per window, so a quiet gateway can still retry
 */
@ConfigurationProperties("gateway.retry")
public record RetryProperties(
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("250ms") Duration initialBackoff,
        @DefaultValue("4s") Duration maxBackoff,
        @DefaultValue("5s") Duration maxRetryDelay,
        @DefaultValue("0.2") double budgetRatio,
        @DefaultValue("10s") Duration budgetWindow,
        @DefaultValue("10") int budgetMinimum) {

    public RetryProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("gateway.retry.max-attempts must be at least 1");
        }
    }
}
