package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.upstream.ApiKey;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two upstream keys in rotation. The fake Google decides by the x-goog-api-key it receives. Key A is the one
 * {@link RunningGateway} always configures; key B comes from this test's {@code --gateway.upstream.api-keys}, which
 * Spring joins with the fixture's own value (a repeated command-line option becomes a comma list), so the pool holds
 * exactly A and B. Key state (cool-downs, rejections) lives for the gateway's lifetime, so each test gets a gateway
 * of its own.
 */
class KeyRotationTest {

    private static final String KEY_A = RunningGateway.UPSTREAM_KEY;
    private static final String KEY_B = "keyB-111111111111";
    private static final String MODEL = "gemini-2.5-flash";
    private static final int REQUESTS = 5;

    private FakeGemini upstream;
    private RunningGateway gateway;

    @BeforeEach
    void start() {
        upstream = FakeGemini.start();
        gateway = RunningGateway.start(upstream.baseUrl(), "--gateway.upstream.api-keys=" + KEY_B,
                "--gateway.retry.initial-backoff=20ms", "--gateway.retry.max-backoff=100ms");
        assertThat(gateway.context().getBean(UpstreamKeyPool.class).all())
                .containsExactly(new ApiKey(KEY_A), new ApiKey(KEY_B));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aPerMinute429OnOneKeyIsRetriedAtOnceWithTheOtherWhichCarriesOnWhileTheFirstCoolsDown() {
        answerKeyAWith(429, GoogleErrors.perMinute("30s"));

        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            answers.add(post(gateway, generatePath(MODEL)));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.elapsed()).isLessThan(Duration.ofSeconds(1));
        });
        List<List<String>> keysPerRequest = keysPerRequest();
        assertThat(keysPerRequest).hasSize(REQUESTS);
        int refused = indexOfFirstUseOfKeyA(keysPerRequest);
        assertThat(refused).as("key A is tried by one of the first two requests").isBetween(0, 1);
        assertThat(keysPerRequest.get(refused)).containsExactly(KEY_A, KEY_B);
        assertThat(keysPerRequest.subList(refused + 1, REQUESTS)).allSatisfy(keys ->
                assertThat(keys).containsExactly(KEY_B));
        String scrape = GatewayHttp.prometheus(gateway);
        assertThat(scrape).contains("gemini_gateway_upstream_key_cooling_down{key=\"" + fingerprint(KEY_A) + "\"} 1.0",
                "gemini_gateway_upstream_key_cooling_down{key=\"" + fingerprint(KEY_B) + "\"} 0.0");
        assertThat(scrape).doesNotContain(KEY_A, KEY_B);
    }

    @Test
    void aKeyGoogleRejectsAsInvalidIsTakenOutOfRotationForGood() {
        answerKeyAWith(400, GoogleErrors.invalidKey());

        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            answers.add(post(gateway, generatePath(MODEL)));
        }

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
        List<List<String>> keysPerRequest = keysPerRequest();
        int rejected = indexOfFirstUseOfKeyA(keysPerRequest);
        assertThat(rejected).isBetween(0, 1);
        assertThat(keysPerRequest.get(rejected)).containsExactly(KEY_A, KEY_B);
        assertThat(keysPerRequest.subList(rejected + 1, REQUESTS)).allSatisfy(keys ->
                assertThat(keys).containsExactly(KEY_B));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(GatewayHttp.prometheus(gateway)).contains(
                "gemini_gateway_upstream_key_healthy{key=\"" + fingerprint(KEY_A) + "\"} 0.0",
                "gemini_gateway_upstream_key_healthy{key=\"" + fingerprint(KEY_B) + "\"} 1.0"));
    }

    /** Key A gets this answer for every request; key B is always served. */
    private void answerKeyAWith(int status, String body) {
        Reply byKey = (request, response) -> KEY_A.equals(request.headers().get("x-goog-api-key"))
                ? Reply.json(status, body).answer(request, response)
                : Reply.json(200, FakeGemini.GENERATE_JSON).answer(request, response);
        for (int i = 0; i < 3 * REQUESTS; i++) {
            upstream.enqueue(byKey);
        }
    }

    /** The upstream keys each caller request was sent with, in order, grouped by the request id sent upstream. */
    private List<List<String>> keysPerRequest() {
        Map<String, List<String>> byRequest = new LinkedHashMap<>();
        for (RecordedRequest request : upstream.requests()) {
            byRequest.computeIfAbsent(request.headers().get("X-Request-Id"), id -> new ArrayList<>())
                    .add(request.headers().get("x-goog-api-key"));
        }
        return new ArrayList<>(byRequest.values());
    }

    private static int indexOfFirstUseOfKeyA(List<List<String>> keysPerRequest) {
        for (int i = 0; i < keysPerRequest.size(); i++) {
            if (keysPerRequest.get(i).contains(KEY_A)) {
                return i;
            }
        }
        return -1;
    }

    private static String fingerprint(String key) {
        return new ApiKey(key).fingerprint();
    }
}
