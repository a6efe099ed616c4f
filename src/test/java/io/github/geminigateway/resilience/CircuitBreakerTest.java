package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-model circuit breaker against a flapping upstream: enough 503s open it, an open breaker answers a fast 503
 * UNAVAILABLE with Retry-After without bothering Google, and after the wait its probes close it again. Retries are
 * off here (one attempt per call), so each call is exactly one breaker call; each test uses a model of its own,
 * because the breaker is per model.
 */
class CircuitBreakerTest {

    /** Long enough for a loaded machine to make the held-back call and the scrape while the breaker is still open. */
    private static final Duration WAIT_IN_OPEN_STATE = Duration.ofSeconds(1);
    private static final String OVERLOADED = GoogleErrors.status(503, "UNAVAILABLE",
            "The model is overloaded. Please try again later.");

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
                "--resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
                "--resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state="
                + WAIT_IN_OPEN_STATE.toMillis() + "ms",
                "--gateway.retry.max-attempts=1");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void aFlappingUpstreamOpensTheBreakerWhichAnswersFastWithoutGoogleThenProbesCloseItAgain() {
        String model = "gemini-2.5-flash";
        String path = generatePath(model);
        int before = upstream.requests().size();
        upstream.enqueue(Reply.json(503, OVERLOADED), Reply.json(503, OVERLOADED), Reply.json(503, OVERLOADED));
        for (int i = 0; i < 3; i++) {
            assertThat(post(gateway, path).status()).isEqualTo(503);
        }
        long opening = System.nanoTime();
        upstream.enqueue(Reply.json(503, OVERLOADED));
        assertThat(post(gateway, path).status()).isEqualTo(503);
        assertThat(upstream.requests().size() - before).isEqualTo(4);

        Answer held = post(gateway, path);

        assertThat(held.status()).isEqualTo(503);
        assertThat(held.header("Content-Type")).startsWith("application/json");
        assertThat(held.json().get("error").get("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(held.header("Retry-After")).isNotNull();
        assertThat(Long.parseLong(held.header("Retry-After"))).isPositive();
        assertThat(held.elapsed()).isLessThan(Duration.ofSeconds(1));
        assertThat(upstream.requests().size() - before).as("the open breaker kept the call from Google").isEqualTo(4);
        assertThat(GatewayHttp.prometheus(gateway))
                .contains("resilience4j_circuitbreaker_state{name=\"" + model + "\",state=\"open\"} 1.0");

        // Once the wait is over the breaker lets probes through; the upstream has recovered (the fake's default is 200).
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Answer probe = post(gateway, path);
            assertThat(probe.status()).isIn(200, 503);
            return probe.status() == 200;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - opening)).isGreaterThanOrEqualTo(WAIT_IN_OPEN_STATE);
        assertThat(upstream.requests().size() - before).as("held-back polls never reached Google").isEqualTo(5);
        assertThat(post(gateway, path).status()).isEqualTo(200);
        assertThat(post(gateway, path).status()).isEqualTo(200);

        assertThat(GatewayHttp.prometheus(gateway))
                .contains("resilience4j_circuitbreaker_state{name=\"" + model + "\",state=\"closed\"} 1.0");
        Answer afterRecovery = post(gateway, path);
        assertThat(afterRecovery.status()).isEqualTo(200);
        assertThat(upstream.requests().size() - before).isEqualTo(8);
    }

    @Test
    void quotaRefusalsAndCallerErrorsDoNotOpenTheBreaker() {
        String model = "gemini-2.5-pro";
        String path = generatePath(model);
        String invalid = GoogleErrors.status(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        upstream.enqueue(Reply.json(429, GoogleErrors.perMinute("0s")), Reply.json(429, GoogleErrors.perMinute("0s")),
                Reply.json(429, GoogleErrors.perMinute("0s")), Reply.json(400, invalid), Reply.json(400, invalid));
        int before = upstream.requests().size();
        for (int i = 0; i < 5; i++) {
            assertThat(post(gateway, path).status()).isIn(429, 400);
        }

        Answer next = post(gateway, path);

        assertThat(next.status()).isEqualTo(200);
        assertThat(upstream.requests().size() - before).isEqualTo(6);
        assertThat(GatewayHttp.prometheus(gateway))
                .contains("resilience4j_circuitbreaker_state{name=\"" + model + "\",state=\"closed\"} 1.0");
    }
}
