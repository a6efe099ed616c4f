package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.config.Sha256;
import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model exhausted before the first byte hands the request to its configured fallback, and the response says which
 * model served it. The fake Google fails gemini-2.5-pro and serves gemini-2.5-flash, deciding by the request path.
 * A caller whose allow-list does not include the fallback model never gets it. A model id has dots, so it goes in
 * brackets in the setting's name. Each test starts once no key is cooling down from the one before.
 */
class FallbackModelTest {

    private static final String PRIMARY = "gemini-2.5-pro";
    private static final String FALLBACK = "gemini-2.5-flash";
    private static final String TEAM_B_KEY = "gw-team-b-key";
    private static final Duration BOUND = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.models[" + PRIMARY + "].fallbacks=" + FALLBACK,
                "--gateway.clients.team-b.key-sha256=" + Sha256.hex(TEAM_B_KEY),
                "--gateway.clients.team-b.models=" + PRIMARY,
                "--gateway.retry.initial-backoff=20ms",
                "--gateway.retry.max-backoff=100ms",
                "--resilience4j.circuitbreaker.configs.default.sliding-window-size=1000",
                "--resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000");
    private static final FakeGemini upstream = gateway.upstream();
    private int before;

    @BeforeEach
    void forgetLeftovers() {
        await().atMost(BOUND).until(() -> gateway.context().getBean(UpstreamKeyPool.class).activeCooldowns().isEmpty());
        before = upstream.requests().size();
    }

    @Test
    void aPrimaryThatKeepsAnswering503IsServedByItsFallbackNamedInXGatewayModel() {
        answerPrimaryWith(503, GoogleErrors.status(503, "UNAVAILABLE", "The model is overloaded."));

        Answer answer = GatewayHttp.post(gateway, generatePath(PRIMARY));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(FakeGemini.GENERATE_JSON);
        assertThat(answer.header("X-Gateway-Model")).isEqualTo(FALLBACK);
        assertThat(modelsCalled()).containsExactly(PRIMARY, PRIMARY, PRIMARY, FALLBACK);
        assertThat(attempts().get(3).uri()).isEqualTo(generatePath(FALLBACK));
        assertThat(attempts().get(3).bodyText()).isEqualTo(GatewayHttp.REQUEST);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aPrimaryOutOfPerMinuteQuotaAfterRetriesIsServedByItsFallback() {
        answerPrimaryWith(429, GoogleErrors.perMinute("0.05s"));

        Answer answer = GatewayHttp.post(gateway, generatePath(PRIMARY));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Gateway-Model")).isEqualTo(FALLBACK);
        assertThat(modelsCalled()).containsExactly(PRIMARY, PRIMARY, PRIMARY, FALLBACK);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    @Test
    void aCallerWhoseAllowListExcludesTheFallbackGetsThePrimarysErrorInstead() {
        answerPrimaryWith(503, GoogleErrors.status(503, "UNAVAILABLE", "The model is overloaded."));

        Answer answer = GatewayHttp.post(gateway.baseUrl() + generatePath(PRIMARY), TEAM_B_KEY);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("error").get("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(answer.header("X-Gateway-Model")).isNotEqualTo(FALLBACK);
        assertThat(modelsCalled()).containsExactly(PRIMARY, PRIMARY, PRIMARY);
        assertThat(answer.elapsed()).isLessThan(BOUND);
    }

    /** The primary model fails with this answer, every other model is served. */
    private static void answerPrimaryWith(int status, String body) {
        Reply byModel = (request, response) -> request.uri().contains("/models/" + PRIMARY + ":")
                ? Reply.json(status, body).answer(request, response)
                : Reply.json(200, FakeGemini.GENERATE_JSON).answer(request, response);
        for (int i = 0; i < 10; i++) {
            upstream.enqueue(byModel);
        }
    }

    private List<RecordedRequest> attempts() {
        List<RecordedRequest> all = upstream.requests();
        return all.subList(before, all.size());
    }

    private List<String> modelsCalled() {
        return attempts().stream().map(request -> request.uri().replaceAll("^.*/models/([^:]+):.*$", "$1")).toList();
    }
}
