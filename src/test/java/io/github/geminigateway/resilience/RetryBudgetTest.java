package io.github.geminigateway.resilience;

import io.github.geminigateway.support.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The retry budget: retries are allowed up to a share of the requests seen over a sliding window, never fewer than a
 * minimum, and both requests and retries age out of the window as the clock moves.
 */
class RetryBudgetTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

    @Test
    void aQuietGatewayMayStillRetryTheMinimum() {
        RetryBudget budget = new RetryBudget(0.2, 3, WINDOW, clock);

        spend(budget, 3);

        assertThat(budget.hasRoom()).isFalse();
    }

    @Test
    void beforeTheMinimumIsSpentThereIsRoom() {
        RetryBudget budget = new RetryBudget(0.2, 3, WINDOW, clock);

        spend(budget, 2);

        assertThat(budget.hasRoom()).isTrue();
    }

    @Test
    void retriesAreCappedAtTheRatioOfRequestsInTheWindow() {
        RetryBudget budget = new RetryBudget(0.2, 3, WINDOW, clock);
        request(budget, 100);

        spend(budget, 19);
        assertThat(budget.hasRoom()).isTrue();
        spend(budget, 1);

        assertThat(budget.hasRoom()).as("20 retries for 100 requests is the 20% budget").isFalse();
    }

    @Test
    void requestsSpreadOverTheWindowAllCount() {
        RetryBudget budget = new RetryBudget(0.2, 0, WINDOW, clock);
        for (int second = 0; second < 10; second++) {
            request(budget, 10);
            clock.advance(Duration.ofMillis(900));
        }

        spend(budget, 19);

        assertThat(budget.hasRoom()).as("100 requests within 9 s of a 10 s window allow 20 retries").isTrue();
        spend(budget, 1);
        assertThat(budget.hasRoom()).isFalse();
    }

    @Test
    void retriesSpentAWindowAgoNoLongerCount() {
        RetryBudget budget = new RetryBudget(0.2, 3, WINDOW, clock);
        spend(budget, 3);
        assertThat(budget.hasRoom()).isFalse();

        clock.advance(WINDOW);

        assertThat(budget.hasRoom()).isTrue();
    }

    @Test
    void theWindowSlidesBucketByBucket() {
        RetryBudget budget = new RetryBudget(0.2, 3, WINDOW, clock);
        spend(budget, 2);
        clock.advance(Duration.ofSeconds(5));
        spend(budget, 1);
        assertThat(budget.hasRoom()).isFalse();

        clock.advance(Duration.ofSeconds(4));
        assertThat(budget.hasRoom()).as("9 s after the first two retries they are still in the window").isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.hasRoom()).as("10 s after, only the later retry counts").isTrue();
        spend(budget, 2);
        assertThat(budget.hasRoom()).isFalse();
    }

    @Test
    void requestsAgeOutOfTheWindowTooSoTheirShareOfRetriesGoes() {
        RetryBudget budget = new RetryBudget(0.2, 1, WINDOW, clock);
        request(budget, 100);
        clock.advance(WINDOW);

        spend(budget, 1);

        assertThat(budget.hasRoom()).as("the old requests no longer buy retries; only the minimum is left").isFalse();
    }

    private static void spend(RetryBudget budget, int retries) {
        for (int i = 0; i < retries; i++) {
            budget.spend();
        }
    }

    private static void request(RetryBudget budget, int requests) {
        for (int i = 0; i < requests; i++) {
            budget.recordRequest();
        }
    }
}
