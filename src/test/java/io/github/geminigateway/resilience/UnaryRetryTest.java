package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One upstream fault per test, through the whole gateway: what the caller gets, how many attempts Google saw, and how
 * long it took. Backoffs and the first-byte timeout are short so the bounds are tight; the retry budget and the
 * circuit breaker are set wide, so that neither interferes with the retry rule under test here.
 *
 * <p>A per-minute 429 cools the key down for that model, so each 429 test uses a model of its own.
 */
class UnaryRetryTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final long FIRST_BYTE_MILLIS = 500;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.retry.initial-backoff=20ms",
                "--gateway.retry.max-backoff=100ms",
                "--gateway.retry.budget-minimum=1000",
                "--gateway.timeouts.first-byte=" + FIRST_BYTE_MILLIS + "ms",
                "--gateway.timeouts.idle=500ms",
                "--resilience4j.circuitbreaker.configs.default.sliding-window-size=1000",
                "--resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000");
    private static final FakeGemini upstream = gateway.upstream();
    private int before;

    @BeforeEach
    void forgetLeftovers() {
        before = upstream.requests().size();
    }

    @Test
    void aPerMinute429IsRetriedAfterItsRetryInfoDelayAndTheCallerGetsTheAnswer() {
        upstream.enqueue(Reply.json(429, GoogleErrors.perMinute("0.3s")), Reply.json(200, FakeGemini.GENERATE_JSON));

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(FakeGemini.GENERATE_JSON);
        assertThat(attempts()).hasSize(2).allSatisfy(attempt ->
                assertThat(attempt.bodyText()).isEqualTo(GatewayHttp.REQUEST));
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(BOUND);
    }

    @Test
    void aPersistentPerMinute429IsRelayedAfterMaxAttemptsWithItsRetryInfoAndRetryAfter() {
        String model = "gemini-2.0-flash";
        upstream.enqueue(Reply.json(429, GoogleErrors.perMinute("0.3s")), Reply.json(429, GoogleErrors.perMinute("0.3s")),
                Reply.json(429, GoogleErrors.perMinute("0.3s")));

        Answer answer = post(gateway, generatePath(model));

        assertThat(answer.status()).isEqualTo(429);
        assertThat(attempts()).hasSize(3);
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(600)).isLessThan(BOUND);
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        JsonNode error = answer.json().get("error");
        assertThat(error.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(retryDelayIn(error)).isEqualTo("0.3s");
    }

    @Test
    void a429WhoseRetryDelayExceedsTheMaximumGoesStraightBackWithRetryAfter() {
        String model = "gemini-2.5-flash-lite";
        upstream.enqueue(Reply.json(429, GoogleErrors.perMinute("30s")));

        Answer answer = post(gateway, generatePath(model));

        assertThat(answer.status()).isEqualTo(429);
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
        assertThat(answer.header("Retry-After")).isEqualTo("30");
        assertThat(retryDelayIn(answer.json().get("error"))).isEqualTo("30s");
    }

    @Test
    void aPerDay429IsRelayedWithoutRetryOrWait() {
        upstream.enqueue(Reply.json(429, GoogleErrors.quota(GoogleErrors.PER_DAY_QUOTA, "0.3s")),
                Reply.json(200, FakeGemini.GENERATE_JSON));

        Answer answer = post(gateway, generatePath("gemini-2.5-pro"));

        assertThat(answer.status()).isEqualTo(429);
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
        assertThat(answer.body()).contains(GoogleErrors.PER_DAY_QUOTA);
    }

    @Test
    void a500OnceThenSuccessIsRetried() {
        upstream.enqueue(Reply.json(500, GoogleErrors.status(500, "INTERNAL", "An internal error has occurred.")),
                Reply.json(200, FakeGemini.GENERATE_JSON));

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(FakeGemini.GENERATE_JSON);
        assertThat(attempts()).hasSize(2);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aPersistent503IsRelayedAfterMaxAttemptsWithinABound() {
        String overloaded = GoogleErrors.status(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
        upstream.enqueue(Reply.json(503, overloaded), Reply.json(503, overloaded), Reply.json(503, overloaded));

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("error").get("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(attempts()).hasSize(3);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aResetBeforeTheResponseHeadersIsRetried() {
        upstream.enqueue(Reply.reset(), Reply.json(200, FakeGemini.GENERATE_JSON));

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(FakeGemini.GENERATE_JSON);
        assertThat(attempts()).hasSize(2);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void anUpstreamThatNeverAnswersEndsIn504DeadlineExceededAfterEveryAttemptTimedOut() {
        upstream.enqueue(Reply.silence(), Reply.silence(), Reply.silence());

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode error = answer.json().get("error");
        assertThat(error.get("code").asInt()).isEqualTo(504);
        assertThat(error.get("status").asText()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(attempts()).hasSize(3);
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(3 * FIRST_BYTE_MILLIS))
                .isLessThan(Duration.ofMillis(3 * FIRST_BYTE_MILLIS + 2500));
    }

    @Test
    void a400IsRelayedAndNeverRetried() {
        String invalid = GoogleErrors.status(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        upstream.enqueue(Reply.json(400, invalid), Reply.json(200, FakeGemini.GENERATE_JSON));

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(400);
        JsonNode error = answer.json().get("error");
        assertThat(error.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("message").asText()).isEqualTo("Invalid JSON payload received.");
        assertThat(attempts()).hasSize(1);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    private List<RecordedRequest> attempts() {
        List<RecordedRequest> all = upstream.requests();
        return all.subList(before, all.size());
    }

    private static String retryDelayIn(JsonNode error) {
        for (JsonNode detail : error.get("details")) {
            if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                return detail.get("retryDelay").asText();
            }
        }
        return null;
    }
}
