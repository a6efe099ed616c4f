package io.github.geminigateway.limits;

import io.github.geminigateway.support.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.limits.LimitsProperties.ClientLimits;
import io.github.geminigateway.limits.LimitsProperties.Counting;
import io.github.geminigateway.limits.LimitsProperties.FailureMode;
import io.github.geminigateway.limits.LimitsProperties.ModelLimits;
import io.github.geminigateway.limits.LimitsProperties.Store;
import io.github.geminigateway.limits.store.LimitStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The behaviour every limit store must give the limiter, run once per store: the memory store and a real Redis. The
 * clock is the test's, so refills, waits and day boundaries are exact.
 */
abstract class LimiterContract {

    static final String CLIENT = "team-a";
    static final String MODEL = "gemini-2.5-flash";
    static final Duration BOUND = Duration.ofSeconds(5);

    final MutableClock clock = new MutableClock(Instant.parse("2025-06-10T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** The store under test; a new test may get the same store, so keys carry a fresh prefix per limiter. */
    abstract LimitStore store();

    QuotaLimiter limiter(ClientLimits client, ModelLimits model, long outputEstimate) {
        LimitsProperties properties = new LimitsProperties(Map.of(CLIENT, client), Map.of(MODEL, model),
                new Counting(Store.MEMORY, FailureMode.OPEN, Duration.ofMillis(100),
                        "test-" + UUID.randomUUID(), outputEstimate, 4));
        return new QuotaLimiter(new QuotaPlanner(properties, Duration.ofMinutes(11)), store(),
                FailureMode.OPEN, new LimitMetrics(registry, properties, Set.of()), clock);
    }

    QuotaLimiter clientLimiter(Long rpm, Long tpm, Integer streams) {
        return limiter(new ClientLimits(rpm, tpm, streams, null), new ModelLimits(null, null, null), 100);
    }

    QuotaLimiter modelLimiter(Long rpm, Long itpm, Long rpd) {
        return limiter(new ClientLimits(null, null, null, null), new ModelLimits(rpm, itpm, rpd), 100);
    }

    static Admission admitted(QuotaLimiter limiter, boolean stream, long bytes) {
        return limiter.admit(CLIENT, MODEL, stream, bytes).block(BOUND);
    }

    static GatewayException refused(QuotaLimiter limiter, boolean stream, long bytes) {
        GatewayException[] refusal = new GatewayException[1];
        StepVerifier.create(limiter.admit(CLIENT, MODEL, stream, bytes))
                .expectErrorSatisfies(error -> refusal[0] = (GatewayException) error)
                .verify(BOUND);
        return refusal[0];
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> violations(GatewayException refusal) {
        return (List<Map<String, Object>>) refusal.details().get(0).get("violations");
    }

    static String remaining(Admission admission) {
        return admission.rateLimitHeaders().get("X-RateLimit-Remaining");
    }

    @Test
    void aClientGetsItsRequestsPerMinuteThenA429WithTheRealWait() {
        QuotaLimiter limiter = clientLimiter(4L, null, null);
        for (int i = 0; i < 4; i++) {
            admitted(limiter, false, 10);
        }

        GatewayException refusal = refused(limiter, false, 10);

        assertThat(refusal.status()).isEqualTo(ErrorStatus.RESOURCE_EXHAUSTED);
        assertThat(refusal.errorType()).isEqualTo(ErrorType.CALLER_LIMITED);
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aRefusalNamesItsLimitInAQuotaFailureAndItsWaitInRetryInfo() {
        QuotaLimiter limiter = clientLimiter(4L, null, null);
        for (int i = 0; i < 4; i++) {
            admitted(limiter, false, 10);
        }
        clock.advance(Duration.ofMillis(2_500));

        GatewayException refusal = refused(limiter, false, 10);

        assertThat(refusal.details().get(0)).containsEntry("@type", "type.googleapis.com/google.rpc.QuotaFailure");
        assertThat(violations(refusal)).singleElement().satisfies(violation -> assertThat(violation)
                .containsEntry("subject", "client:team-a")
                .containsEntry("quotaId", "GatewayClientRequestsPerMinute")
                .containsEntry("quotaValue", "4")
                .containsKey("description"));
        assertThat(refusal.details().get(1)).containsEntry("@type", "type.googleapis.com/google.rpc.RetryInfo")
                .containsEntry("retryDelay", "12.500s");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMillis(12_500));
        assertThat(registry.counter("gemini_gateway.limit.rejections", "client", CLIENT,
                "limit", "client_requests_per_minute").count()).isEqualTo(1);
    }

    @Test
    void aBucketRefillsContinuouslyRatherThanAtTheTopOfTheMinute() {
        QuotaLimiter limiter = clientLimiter(4L, null, null);
        for (int i = 0; i < 4; i++) {
            admitted(limiter, false, 10);
        }
        clock.advance(Duration.ofSeconds(15));

        admitted(limiter, false, 10);

        assertThat(refused(limiter, false, 10).retryAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void remainingReallyDecreasesWithEachAdmission() {
        QuotaLimiter limiter = clientLimiter(10L, null, null);

        List<Map<String, String>> headers = Flux.range(0, 3)
                .concatMap(i -> limiter.admit(CLIENT, MODEL, false, 10)).map(Admission::rateLimitHeaders)
                .collectList().block(BOUND);

        assertThat(headers).extracting(h -> h.get("X-RateLimit-Remaining")).containsExactly("9", "8", "7");
        assertThat(headers).extracting(h -> h.get("X-RateLimit-Limit")).containsOnly("10");
        assertThat(headers.get(0)).containsEntry("X-RateLimit-Reset", "6");
    }

    @Test
    void fiftyConcurrentRequestsAgainstALimitOfTenLetExactlyTenThrough() {
        QuotaLimiter limiter = clientLimiter(10L, null, null);

        long passed = Flux.range(0, 50)
                .flatMap(i -> limiter.admit(CLIENT, MODEL, false, 10).subscribeOn(Schedulers.parallel())
                        .map(admission -> 1).onErrorResume(GatewayException.class, refusal -> Mono.just(0)), 50)
                .reduce(0, Integer::sum).block(BOUND);

        assertThat(passed).isEqualTo(10);
    }

    @Test
    void concurrentRequestsCannotAllSpendTheSameTokenBalance() {
        QuotaLimiter limiter = clientLimiter(null, 1_000L, null);

        long passed = Flux.range(0, 20)
                .flatMap(i -> limiter.admit(CLIENT, MODEL, false, 2_000).subscribeOn(Schedulers.parallel())
                        .map(admission -> 1).onErrorResume(GatewayException.class, refusal -> Mono.just(0)), 20)
                .reduce(0, Integer::sum).block(BOUND);

        assertThat(passed).as("each reserves 500 prompt + 100 output of 1000").isEqualTo(1);
    }

    @Test
    void aUnaryAnswerLargerThanItsEstimateLeavesDebtThatDelaysTheNextRequest() {
        QuotaLimiter limiter = clientLimiter(null, 1_000L, null);
        Admission admission = admitted(limiter, false, 0);

        StepVerifier.create(admission.settle(new TokenUsage(400, 900, 300, 0))).expectComplete().verify(BOUND);

        GatewayException refusal = refused(limiter, false, 0);
        assertThat(violations(refusal)).extracting(v -> v.get("quotaId"))
                .containsExactly("GatewayClientTokensPerMinute");
        assertThat(refusal.retryAfter()).as("1000 - 100 - 1500 = -600; 700 to refill at 1000/min")
                .isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void aStreamIsChargedWhatItsLastEventReported() {
        QuotaLimiter limiter = clientLimiter(null, 1_000L, 2);
        Admission stream = admitted(limiter, true, 0);
        TokenUsage lastEvent = new TokenUsage(50, 150, 50, 0);

        StepVerifier.create(stream.settle(lastEvent)).expectComplete().verify(BOUND);
        StepVerifier.create(stream.release()).expectComplete().verify(BOUND);

        assertThat(remaining(admitted(limiter, true, 0))).as("1000 - 250 - 100").isEqualTo("650");
    }

    @Test
    void anAnswerSmallerThanItsEstimateGivesTokensBack() {
        QuotaLimiter limiter = clientLimiter(null, 1_000L, null);
        Admission admission = admitted(limiter, false, 2_000);
        assertThat(remaining(admission)).isEqualTo("400");

        StepVerifier.create(admission.settle(new TokenUsage(40, 10, 0, 0))).expectComplete().verify(BOUND);

        assertThat(remaining(admitted(limiter, false, 2_000))).as("1000 - 50 - 600").isEqualTo("350");
    }

    @Test
    void settlingTwiceCountsOnce() {
        QuotaLimiter limiter = clientLimiter(null, 1_000L, null);
        Admission admission = admitted(limiter, false, 0);

        admission.settle(new TokenUsage(200, 0, 0, 0)).block(BOUND);
        admission.settle(new TokenUsage(200, 0, 0, 0)).block(BOUND);

        assertThat(remaining(admitted(limiter, false, 0))).isEqualTo("700");
    }

    @Test
    void aModelsInputTokenBudgetCountsOnlyThePrompt() {
        QuotaLimiter limiter = modelLimiter(null, 1_000L, null);
        Admission admission = admitted(limiter, false, 400);
        assertThat(remaining(admission)).isEqualTo("900");

        admission.settle(new TokenUsage(300, 5_000, 2_000, 0)).block(BOUND);

        assertThat(remaining(admitted(limiter, false, 400))).as("1000 - 300 - 100").isEqualTo("600");
        assertThat(registry.get("gemini_gateway.limit.remaining").tags("model", MODEL,
                "limit", "model_input_tokens_per_minute").gauge().value()).isEqualTo(600);
    }

    @Test
    void aRequestRefusedByOneLimitTakesNothingFromTheOthers() {
        QuotaLimiter limiter = limiter(new ClientLimits(3L, null, null, null), new ModelLimits(1L, null, null), 100);
        admitted(limiter, false, 10);
        for (int i = 0; i < 5; i++) {
            refused(limiter, false, 10);
        }

        Admission other = limiter.admit(CLIENT, "another-model", false, 10).block(BOUND);

        assertThat(remaining(other)).isEqualTo("1");
    }

    @Test
    void aRefusalByTwoLimitsListsBothAndWaitsForTheLonger() {
        clock.set(ZonedDateTime.parse("2025-06-10T23:00:00-07:00[America/Los_Angeles]").toInstant());
        QuotaLimiter limiter = limiter(new ClientLimits(1L, null, null, null), new ModelLimits(null, null, 1L), 100);
        admitted(limiter, false, 10);

        GatewayException refusal = refused(limiter, false, 10);

        assertThat(violations(refusal)).extracting(v -> v.get("quotaId"))
                .containsExactlyInAnyOrder("GatewayClientRequestsPerMinute", "GatewayModelRequestsPerDay");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void requestsPerDayStartAgainAtPacificMidnight() {
        clock.set(ZonedDateTime.parse("2025-06-10T23:59:59-07:00[America/Los_Angeles]").toInstant());
        QuotaLimiter limiter = modelLimiter(null, null, 2L);
        admitted(limiter, false, 10);
        admitted(limiter, false, 10);

        GatewayException refusal = refused(limiter, false, 10);
        assertThat(violations(refusal)).extracting(v -> v.get("quotaId"))
                .containsExactly("GatewayModelRequestsPerDay");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));

        clock.set(ZonedDateTime.parse("2025-06-11T00:00:00-07:00[America/Los_Angeles]").toInstant());
        assertThat(remaining(admitted(limiter, false, 10))).isEqualTo("1");
    }

    @Test
    void theDayTheClocksGoBackLastsTwentyFiveHours() {
        clock.set(Instant.parse("2025-11-02T07:30:00Z"));
        QuotaLimiter limiter = modelLimiter(null, null, 1L);
        admitted(limiter, false, 10);
        assertThat(refused(limiter, false, 10).retryAfter()).isEqualTo(Duration.ofMinutes(24 * 60 + 30));

        clock.set(Instant.parse("2025-11-03T07:59:59Z"));
        assertThat(refused(limiter, false, 10).retryAfter()).as("23:59:59 PST, still Nov 2")
                .isEqualTo(Duration.ofSeconds(1));

        clock.set(Instant.parse("2025-11-03T08:00:00Z"));
        admitted(limiter, false, 10);
    }

    @Test
    void theDayTheClocksGoForwardLastsTwentyThreeHours() {
        clock.set(Instant.parse("2025-03-09T08:00:00Z"));
        QuotaLimiter limiter = modelLimiter(null, null, 1L);
        admitted(limiter, false, 10);
        assertThat(refused(limiter, false, 10).retryAfter()).isEqualTo(Duration.ofHours(23));

        clock.set(Instant.parse("2025-03-10T07:00:00Z"));
        admitted(limiter, false, 10);
    }

    @Test
    void aClientCannotOpenMoreStreamsThanItsLimitUntilOneEnds() {
        QuotaLimiter limiter = clientLimiter(null, null, 2);
        Admission first = admitted(limiter, true, 10);
        admitted(limiter, true, 10);

        GatewayException refusal = refused(limiter, true, 10);
        assertThat(violations(refusal)).extracting(v -> v.get("quotaId"))
                .containsExactly("GatewayClientConcurrentStreams");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(admitted(limiter, false, 10)).as("unary calls hold no slot").isNotNull();

        StepVerifier.create(first.release()).expectComplete().verify(BOUND);
        StepVerifier.create(first.release()).as("a second release frees nothing more").expectComplete().verify(BOUND);

        admitted(limiter, true, 10);
        refused(limiter, true, 10);
    }

    @Test
    void aStreamSlotLapsesWhenItsReplicaNeverReleasesIt() {
        QuotaLimiter limiter = clientLimiter(null, null, 1);
        admitted(limiter, true, 10);
        refused(limiter, true, 10);

        clock.advance(Duration.ofMinutes(11));

        admitted(limiter, true, 10);
    }

    @Test
    void aClientWithoutLimitsIsAdmittedWithoutTouchingTheStore() {
        QuotaLimiter limiter = clientLimiter(null, null, null);

        StepVerifier.create(limiter.admit("unlisted", null, false, 10)).expectNext(Admission.UNLIMITED)
                .verifyComplete();
    }
}
