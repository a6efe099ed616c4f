package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.limits.LimitsProperties.ClientLimits;
import io.github.geminigateway.limits.LimitsProperties.Counting;
import io.github.geminigateway.limits.LimitsProperties.FailureMode;
import io.github.geminigateway.limits.LimitsProperties.ModelLimits;
import io.github.geminigateway.limits.LimitsProperties.Store;
import io.github.geminigateway.limits.store.GuardedLimitStore;
import io.github.geminigateway.limits.store.RedisConnector;
import io.github.geminigateway.limits.store.RedisLimitStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * What a request gets while Redis is gone: never a hang (every call is bounded by the store timeout), never a 5xx,
 * the configured failure mode, a counted error, one warning per outage, and limits enforced again once Redis is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageTest {

    private static final String CLIENT = "team-a";
    private static final String MODEL = "gemini-2.5-flash";
    /** Long enough that a loaded CI machine does not time out a healthy Redis, far shorter than any outage here. */
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration BOUND = Duration.ofSeconds(3);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RedisServerFixture redis;
    private RedisConnector connector;
    private GuardedLimitStore store;

    @BeforeEach
    void startRedis() {
        redis = RedisServerFixture.start();
        RedisProperties properties = new RedisProperties();
        properties.setUrl(redis.url());
        connector = RedisConnector.open(properties, TIMEOUT);
        store = new GuardedLimitStore(new RedisLimitStore(connector), TIMEOUT, "admitted uncounted", registry);
    }

    @AfterEach
    void stopRedis() {
        connector.close();
        redis.close();
    }

    private QuotaLimiter limiter(FailureMode mode) {
        LimitsProperties properties = new LimitsProperties(Map.of(CLIENT, new ClientLimits(1L, 1_000L, 1, null)),
                Map.of(MODEL, new ModelLimits(null, null, null)),
                new Counting(Store.REDIS, mode, TIMEOUT, "test-" + UUID.randomUUID(), 100, 4));
        return new QuotaLimiter(new QuotaPlanner(properties, Duration.ofMinutes(11)), store, mode,
                new LimitMetrics(registry, properties, Set.of()), Clock.systemUTC());
    }

    private double storeErrors() {
        return registry.counter("gemini_gateway.limit.store.errors").count();
    }

    /** Admits until the store counts again; bounded, so a store that never recovers fails the test. */
    private static Admission firstCountedAdmission(QuotaLimiter limiter) {
        return Mono.defer(() -> limiter.admit(CLIENT, MODEL, false, 10))
                .filter(admission -> !admission.rateLimitHeaders().isEmpty())
                .repeatWhenEmpty(100, attempts -> attempts.delayElements(Duration.ofMillis(50)))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void aHungRedisDelaysARequestByNoMoreThanTheTimeout() {
        QuotaLimiter limiter = limiter(FailureMode.OPEN);
        firstCountedAdmission(limiter);
        redis.freeze(Duration.ofSeconds(10));

        StepVerifier.create(limiter.admit(CLIENT, MODEL, false, 10))
                .expectNext(Admission.UNLIMITED)
                .expectComplete()
                .verify(Duration.ofSeconds(3));

        assertThat(storeErrors()).isEqualTo(1);
    }

    @Test
    void failOpenAdmitsUncountedWhileRedisIsDownWarnsOnceAndCountsAgainWhenItIsBack(CapturedOutput output) {
        QuotaLimiter limiter = limiter(FailureMode.OPEN);
        firstCountedAdmission(limiter);
        double errorsBefore = storeErrors();
        redis.takeDown();

        for (int i = 0; i < 3; i++) {
            StepVerifier.create(limiter.admit(CLIENT, MODEL, false, 10))
                    .expectNext(Admission.UNLIMITED)
                    .expectComplete()
                    .verify(BOUND);
        }

        assertThat(storeErrors() - errorsBefore).isEqualTo(3);
        assertThat(output.getOut().split("Limit store unreachable", -1)).hasSize(2);
        assertThat(output.getOut()).as("still down").doesNotContain("Limit store reachable again");

        redis.bringBack();
        firstCountedAdmission(limiter);

        assertThat(output.getOut()).as("up again").contains("Limit store reachable again");
        GatewayException refusal = (GatewayException) limiter.admit(CLIENT, MODEL, false, 10)
                .map(Object.class::cast).onErrorResume(Mono::just).block(BOUND);
        assertThat(refusal.status()).as("one request a minute, counted again").isEqualTo(ErrorStatus.RESOURCE_EXHAUSTED);
    }

    @Test
    void failClosedRefusesWithA429WhileRedisIsDown() {
        QuotaLimiter limiter = limiter(FailureMode.CLOSED);
        redis.takeDown();

        StepVerifier.create(limiter.admit(CLIENT, MODEL, false, 10))
                .expectErrorSatisfies(error -> {
                    GatewayException refusal = (GatewayException) error;
                    assertThat(refusal.status()).isEqualTo(ErrorStatus.RESOURCE_EXHAUSTED);
                    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(LimiterContract.violations(refusal)).extracting(v -> v.get("quotaId"))
                            .containsExactly("GatewayLimitStoreUnavailable");
                })
                .verify(BOUND);

        assertThat(storeErrors()).isEqualTo(1);
        assertThat(registry.counter("gemini_gateway.limit.rejections", "client", CLIENT,
                "limit", "store_unavailable").count()).isEqualTo(1);
    }

    @Test
    void settlingAndReleasingNeverFailWhileRedisIsDown() {
        QuotaLimiter limiter = limiter(FailureMode.OPEN);
        Admission stream = Mono.defer(() -> limiter.admit(CLIENT, MODEL, true, 10))
                .filter(admission -> !admission.rateLimitHeaders().isEmpty())
                .repeatWhenEmpty(100, attempts -> attempts.delayElements(Duration.ofMillis(50)))
                .block(Duration.ofSeconds(10));
        redis.takeDown();

        StepVerifier.create(stream.settle(new TokenUsage(10, 10, 0, 0))).expectComplete().verify(BOUND);
        StepVerifier.create(stream.release()).expectComplete().verify(BOUND);

        assertThat(storeErrors()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aGatewayStartedWhileRedisWasDownStartsCountingWhenRedisComesUp() {
        redis.takeDown();
        QuotaLimiter limiter = limiter(FailureMode.OPEN);

        StepVerifier.create(limiter.admit(CLIENT, MODEL, false, 10)).expectNext(Admission.UNLIMITED)
                .expectComplete().verify(BOUND);

        redis.bringBack();
        assertThat(firstCountedAdmission(limiter).rateLimitHeaders()).containsEntry("X-RateLimit-Limit", "1");
        assertThat(storeErrors()).isGreaterThanOrEqualTo(1);
    }
}
