package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.RunningGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two whole gateways on one Redis enforce one limit, as a fleet of replicas must: a client allowed 4 requests a
 * minute gets 4 answers and two Gemini-shaped 429s whichever replica each call lands on, and the refused calls never
 * reach Google.
 */
class SharedRedisLimitTest {

    private static RedisServerFixture redis;
    private static FakeGemini upstream;
    private static RunningGateway first;
    private static RunningGateway second;

    @BeforeAll
    static void startFleet() {
        redis = RedisServerFixture.start();
        upstream = FakeGemini.start();
        first = gateway();
        second = gateway();
    }

    private static RunningGateway gateway() {
        return RunningGateway.start(upstream.baseUrl(),
                "--gateway.clients.team-a.requests-per-minute=4",
                "--gateway.limits.store=redis",
                // Generous, so a loaded CI machine cannot turn a slow answer into a fail-open admission.
                "--gateway.limits.redis-timeout=2s",
                "--spring.data.redis.url=" + redis.url());
    }

    @AfterAll
    static void stopFleet() {
        first.close();
        second.close();
        upstream.close();
        redis.close();
    }

    @Test
    void sixCallsSpreadOverTwoReplicasGetFourAnswersAndTwo429s() {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RunningGateway replica = i % 2 == 0 ? first : second;
            responses.add(GeminiCalls.generate(replica.baseUrl(), RunningGateway.CLIENT_KEY));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 200, 429, 429);
        assertThat(responses.subList(0, 4))
                .extracting(response -> response.headers().firstValue("X-RateLimit-Remaining").orElseThrow())
                .as("one count across both replicas").containsExactly("3", "2", "1", "0");
        assertThat(upstream.requests()).as("refused calls never reach the upstream").hasSize(4);
        for (HttpResponse<String> refused : responses.subList(4, 6)) {
            assertGeminiShapedQuotaRefusal(refused);
        }
    }

    private static void assertGeminiShapedQuotaRefusal(HttpResponse<String> refused) {
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode error = GeminiCalls.json(refused).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(429);
        assertThat(error.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.get("message").asText()).contains("4 requests per minute");
        JsonNode quotaFailure = detail(error, "type.googleapis.com/google.rpc.QuotaFailure");
        assertThat(quotaFailure.at("/violations/0/subject").asText()).isEqualTo("client:team-a");
        assertThat(quotaFailure.at("/violations/0/quotaId").asText()).isEqualTo("GatewayClientRequestsPerMinute");
        String retryDelay = detail(error, "type.googleapis.com/google.rpc.RetryInfo").get("retryDelay").asText();
        assertThat(retryDelay).matches("\\d+(\\.\\d+)?s");
        double seconds = Double.parseDouble(retryDelay.substring(0, retryDelay.length() - 1));
        assertThat(seconds).as("a token comes back every 15 s").isGreaterThan(0).isLessThanOrEqualTo(15);
        assertThat(refused.headers().firstValue("Retry-After")).as("the same wait, in whole seconds")
                .hasValue(Long.toString((long) Math.ceil(seconds)));
    }

    private static JsonNode detail(JsonNode error, String type) {
        for (JsonNode detail : error.get("details")) {
            if (type.equals(detail.path("@type").asText())) {
                return detail;
            }
        }
        throw new AssertionError("no " + type + " in " + error);
    }
}
