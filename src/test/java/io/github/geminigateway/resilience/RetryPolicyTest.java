package io.github.geminigateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.observability.GatewayMetrics;
import io.github.geminigateway.observability.ModelTags;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The retry rule in isolation: full-jitter backoff bounds, Google's RetryInfo delay taking precedence, and which
 * failures may be retried at all.
 */
class RetryPolicyTest {

    private static final int SAMPLES = 2000;
    private static final RetryProperties PROPERTIES = new RetryProperties(3, Duration.ofMillis(250),
            Duration.ofSeconds(4), Duration.ofSeconds(5), 0.2, Duration.ofSeconds(10), 10);

    @Test
    void eachBackoffIsBetweenZeroAndTheDoublingCeiling() {
        for (int retry = 1; retry <= 5; retry++) {
            long ceiling = Math.min(4000, 250L << (retry - 1));
            int retryNumber = retry;
            long[] waits = LongStream.range(0, SAMPLES).map(i -> RetryPolicy.fullJitter(PROPERTIES, retryNumber))
                    .toArray();

            assertThat(LongStream.of(waits).boxed()).as("retry %d", retry)
                    .allSatisfy(wait -> assertThat(wait).isBetween(0L, ceiling));
            assertThat(LongStream.of(waits).max().orElseThrow()).as("full jitter reaches the top of retry %d's range",
                    retry).isGreaterThan(ceiling * 8 / 10);
            assertThat(LongStream.of(waits).min().orElseThrow()).as("full jitter reaches the bottom of retry %d's range",
                    retry).isLessThan(ceiling * 2 / 10);
        }
    }

    @Test
    void theCeilingStopsGrowingAtMaxBackoff() {
        assertThat(LongStream.range(0, SAMPLES).map(i -> RetryPolicy.fullJitter(PROPERTIES, 30)).boxed())
                .allSatisfy(wait -> assertThat(wait).isBetween(0L, 4000L));
    }

    @Test
    void googlesRetryInfoDelayIsWaitedInsteadOfTheBackoff() {
        RetryConfig config = RetryPolicy.create(PROPERTIES, metrics(), Clock.systemUTC()).retry().getRetryConfig();
        UpstreamFailure quota = new UpstreamFailure.QuotaRetry("gemini-2.5-flash", RetryReason.QUOTA_MINUTE, null,
                Duration.ofMillis(300));

        // Google's delay, plus a small margin so the key's cooldown has surely ended when the retry goes out.
        assertThat(config.getIntervalBiFunction().apply(1, Either.left(quota))).isBetween(300L, 350L);
        assertThat(config.getIntervalBiFunction().apply(2, Either.left(quota))).isBetween(300L, 350L);
    }

    @Test
    void anotherKeyIsTriedWithoutWaiting() {
        RetryConfig config = RetryPolicy.create(PROPERTIES, metrics(), Clock.systemUTC()).retry().getRetryConfig();
        UpstreamFailure otherKey = new UpstreamFailure.QuotaRetry("gemini-2.5-flash", RetryReason.QUOTA_MINUTE_OTHER_KEY, null,
                Duration.ZERO);

        assertThat(config.getIntervalBiFunction().apply(1, Either.left(otherKey))).isZero();
    }

    @Test
    void anUnavailableUpstreamWaitsTheJitteredBackoff() {
        RetryConfig config = RetryPolicy.create(PROPERTIES, metrics(), Clock.systemUTC()).retry().getRetryConfig();
        UpstreamFailure unavailable = new UpstreamFailure.Unavailable("gemini-2.5-flash", RetryReason.STATUS_503, null, null);

        assertThat(LongStream.range(0, SAMPLES).map(i -> config.getIntervalBiFunction().apply(2,
                Either.left(unavailable))).boxed()).allSatisfy(wait -> assertThat(wait).isBetween(0L, 500L));
    }

    @Test
    void onlyUpstreamFailuresAreRetriedAndOnlyMaxAttemptsTimes() {
        RetryConfig config = RetryPolicy.create(PROPERTIES, metrics(), Clock.systemUTC()).retry().getRetryConfig();
        Predicate<Throwable> retried = config.getExceptionPredicate();

        assertThat(config.getMaxAttempts()).isEqualTo(3);
        assertThat(retried.test(new UpstreamFailure.Unavailable("m", RetryReason.RESET, null, null))).isTrue();
        assertThat(retried.test(new GatewayException(ErrorStatus.DEADLINE_EXCEEDED, ErrorType.UPSTREAM_TIMEOUT,
                "no"))).isFalse();
        assertThat(retried.test(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void anExhaustedBudgetStopsRetries() {
        RetryProperties noBudget = new RetryProperties(3, Duration.ofMillis(250), Duration.ofSeconds(4),
                Duration.ofSeconds(5), 0.0, Duration.ofSeconds(10), 0);
        RetryConfig config = RetryPolicy.create(noBudget, metrics(), Clock.systemUTC()).retry().getRetryConfig();

        assertThat(config.getExceptionPredicate().test(new UpstreamFailure.Unavailable("m", RetryReason.RESET, null, null)))
                .isFalse();
    }

    private static GatewayMetrics metrics() {
        return new GatewayMetrics(new SimpleMeterRegistry(), new ModelTags(Set.of()), Set.of());
    }
}
