package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The management port: probes and metrics are there, and nothing on it shows the upstream key, neither with the
 * default exposure nor when an operator exposes every endpoint.
 */
class ActuatorTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();
    private static RunningGateway everythingExposed;

    @BeforeAll
    static void start() {
        everythingExposed = RunningGateway.start(upstream.baseUrl(),
                "--management.endpoints.web.exposure.include=*",
                "--gateway.uploads.signing-secret=upload-signing-secret-MARKER");
    }

    @AfterAll
    static void stop() {
        everythingExposed.close();
    }

    @Test
    void healthLivenessAndReadinessAreUpOnTheManagementPort() {
        for (String probe : new String[] {"/actuator/health", "/actuator/health/liveness",
                "/actuator/health/readiness"}) {
            RawHttp.Answer answer = management(gateway, probe);
            assertThat(answer.status()).as(probe).isEqualTo(200);
            assertThat(answer.text()).as(probe).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void prometheusShowsTheRequestTimerAfterTraffic() {
        RawHttp.Answer call = RawHttp.send(gateway.baseUrl(), "POST",
                "/v1beta/models/gemini-2.5-flash:generateContent",
                Map.of("x-goog-api-key", RunningGateway.CLIENT_KEY, "Content-Type", "application/json"),
                "{\"contents\": []}".getBytes(StandardCharsets.UTF_8));
        assertThat(call.status()).isEqualTo(200);

        // The request is recorded when its exchange completes, which can be just after the caller has the answer.
        Pattern timer = Pattern.compile(
                "gemini_gateway_requests_seconds_count\\{[^}]*client=\"team-a\"[^}]*model=\"gemini-2.5-flash\""
                        + "[^}]*\\} [1-9]");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> timer.matcher(management(gateway, "/actuator/prometheus").text()).find());

        RawHttp.Answer metrics = management(gateway, "/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).doesNotContain(RunningGateway.UPSTREAM_KEY, RunningGateway.CLIENT_KEY);
    }

    @Test
    void envAndConfigpropsDoNotShowTheUpstreamKeyByDefault() {
        for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops",
                "/actuator/env/gateway.upstream.api-keys"}) {
            RawHttp.Answer answer = management(gateway, endpoint);
            assertThat(answer.status()).as(endpoint).isNotEqualTo(200);
            assertThat(answer.text()).doesNotContain(RunningGateway.UPSTREAM_KEY);
        }
    }

    @Test
    void anUnexposedActuatorEndpointIs404NotA500() {
        for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops", "/actuator/nothing"}) {
            assertThat(management(gateway, endpoint).status()).as(endpoint).isEqualTo(404);
        }
    }

    @Test
    void theManagementPortDoesNotServeTheGeminiApi() {
        int upstreamRequestsBefore = upstream.requests().size();

        RawHttp.Answer answer = RawHttp.send("http://127.0.0.1:" + gateway.managementPort(), "GET",
                "/v1beta/models", Map.of("x-goog-api-key", RunningGateway.CLIENT_KEY), null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(upstream.requests()).hasSize(upstreamRequestsBefore);
    }

    @Test
    void noExposedEndpointShowsTheUpstreamKeyOrTheSigningSecret() {
        RawHttp.Answer index = management(everythingExposed, "/actuator");
        assertThat(index.status()).isEqualTo(200);
        for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops",
                "/actuator/env/gateway.upstream.api-keys", "/actuator/env/gateway.uploads.signing-secret",
                "/actuator/beans", "/actuator/metrics", "/actuator/prometheus", "/actuator/info",
                "/actuator/health", "/actuator/gemini", "/actuator/loggers", "/actuator/mappings"}) {
            RawHttp.Answer answer = management(everythingExposed, endpoint);
            assertThat(answer.text()).as(endpoint).doesNotContain(RunningGateway.UPSTREAM_KEY,
                    "upload-signing-secret-MARKER");
        }
        assertThat(management(everythingExposed, "/actuator/env").status()).isEqualTo(200);
        assertThat(management(everythingExposed, "/actuator/configprops").status()).isEqualTo(200);
    }

    /** Issue 18, item 7: each run tries every key against Google, so hits within 30 s share one run. */
    @Test
    void theDiagnosticsEndpointRunsItsUpstreamChecksAtMostOnceFor30Seconds() {
        int before = upstream.requests().size();
        RawHttp.Answer first = management(gateway, "/actuator/gemini");
        int afterFirst = upstream.requests().size();
        RawHttp.Answer second = management(gateway, "/actuator/gemini");
        RawHttp.Answer third = management(gateway, "/actuator/gemini");

        assertThat(first.status()).isEqualTo(200);
        assertThat(afterFirst).as("the first run reached Google").isGreaterThan(before);
        assertThat(upstream.requests()).as("later hits reuse the run").hasSize(afterFirst);
        assertThat(second.text()).isEqualTo(first.text()).contains("checkedAt");
        assertThat(third.text()).isEqualTo(first.text());
    }

    private static RawHttp.Answer management(RunningGateway app, String path) {
        return RawHttp.send("http://127.0.0.1:" + app.managementPort(), "GET", path, Map.of(), null);
    }
}
