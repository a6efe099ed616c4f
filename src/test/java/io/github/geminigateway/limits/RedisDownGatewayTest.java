package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.RunningGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole gateway whose Redis is not there at all: it starts, and callers get the failure mode they were promised,
 * never a 5xx. Open answers; closed refuses with a Gemini-shaped 429 and keeps the call away from Google.
 */
class RedisDownGatewayTest {

    private FakeGemini upstream;
    private String nowhere;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = FakeGemini.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = "redis://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private RunningGateway gateway(String failureMode) {
        return RunningGateway.start(upstream.baseUrl(),
                "--gateway.clients.team-a.requests-per-minute=1",
                "--gateway.limits.store=redis",
                "--gateway.limits.redis-failure-mode=" + failureMode,
                "--spring.data.redis.url=" + nowhere);
    }

    @Test
    void failOpenAnswersEveryCallWhileRedisIsDown() {
        try (RunningGateway gateway = gateway("open")) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = GeminiCalls.generate(gateway.baseUrl(), RunningGateway.CLIENT_KEY);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-RateLimit-Remaining")).as("nothing was counted")
                        .isEmpty();
            }
            assertThat(GeminiCalls.get("http://127.0.0.1:" + gateway.managementPort() + "/actuator/prometheus"))
                    .containsPattern("gemini_gateway_limit_store_errors_total(\\{[^}]*})? [1-9]");
        }
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void failClosedRefusesWithA429WhileRedisIsDown() {
        try (RunningGateway gateway = gateway("closed")) {
            HttpResponse<String> response = GeminiCalls.generate(gateway.baseUrl(), RunningGateway.CLIENT_KEY);

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(GeminiCalls.json(response).at("/error/details/0/violations/0/quotaId").asText())
                    .isEqualTo("GatewayLimitStoreUnavailable");
        }
        assertThat(upstream.requests()).isEmpty();
    }
}
