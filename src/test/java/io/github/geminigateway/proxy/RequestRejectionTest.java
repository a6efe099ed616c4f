package io.github.geminigateway.proxy;

import static io.github.geminigateway.error.GeminiErrorAssert.assertGatewayError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/**
 * Requests the gateway refuses itself: each gets a Gemini-shaped error with the right status, and none of them reaches
 * Google. Team-a may use gemini-2.5-pro only, and bodies are limited to 1KB.
 */
class RequestRejectionTest {

    private static final String ALLOWED = "/v1beta/models/gemini-2.5-pro:generateContent";
    private static final String NOT_ALLOWED = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final byte[] BODY = "{\"contents\": [{\"parts\": [{\"text\": \"hi\"}]}]}"
            .getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.clients.team-a.models=gemini-2.5-pro",
                "--gateway.max-request-size=1KB");
    private static final FakeGemini upstream = gateway.upstream();
    private int upstreamRequestsBefore;

    @BeforeEach
    void countUpstreamRequests() {
        upstreamRequestsBefore = upstream.requests().size();
    }

    @Test
    void anAllowedModelWithAValidKeyPasses() {
        RawHttp.Answer answer = post(ALLOWED, withKey(), BODY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(upstreamRequestsBefore + 1);
        upstreamRequestsBefore++;
    }

    @Test
    void aMissingKeyIs401() {
        JsonNode error = assertRejected(post(ALLOWED, json(), BODY), 401, "UNAUTHENTICATED");

        assertThat(error.get("message").asText()).contains("x-goog-api-key");
    }

    @Test
    void anUnknownKeyIs401WhetherInTheHeaderOrTheQuery() {
        Map<String, String> wrongHeader = json();
        wrongHeader.put("x-goog-api-key", "gw-not-a-client-key");

        assertRejected(post(ALLOWED, wrongHeader, BODY), 401, "UNAUTHENTICATED");
        assertRejected(post(ALLOWED + "?key=gw-not-a-client-key", json(), BODY), 401, "UNAUTHENTICATED");
    }

    @Test
    void aKeyOnlyInTheAuthorizationHeaderIs401OnTheNativeApi() {
        Map<String, String> bearer = json();
        bearer.put("Authorization", "Bearer " + RunningGateway.CLIENT_KEY);

        assertRejected(post(ALLOWED, bearer, BODY), 401, "UNAUTHENTICATED");
    }

    @Test
    void aModelOutsideTheClientsAllowListIs403() {
        JsonNode error = assertRejected(post(NOT_ALLOWED, withKey(), BODY), 403, "PERMISSION_DENIED");

        assertThat(error.get("message").asText()).contains("gemini-2.5-flash").contains("team-a");
        assertRejected(post("/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse", withKey(), BODY), 403,
                "PERMISSION_DENIED");
        assertRejected(post("/v1alpha/models/gemini-2.5-flash:countTokens", withKey(), BODY), 403,
                "PERMISSION_DENIED");
        assertRejected(RawHttp.send(gateway.baseUrl(), "GET", "/v1beta/models/gemini-2.5-flash", withKey(), null),
                403, "PERMISSION_DENIED");
    }

    @Test
    void aBodyOverTheLimitIs413WhenItsLengthIsDeclared() {
        byte[] large = ("{\"contents\": [{\"parts\": [{\"text\": \"" + "x".repeat(1100) + "\"}]}]}")
                .getBytes(StandardCharsets.UTF_8);

        JsonNode error = assertRejected(post(ALLOWED, withKey(), large), 413, "INVALID_ARGUMENT");

        assertThat(error.get("message").asText()).contains("1024B");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        Flux<ByteBuf> chunks = Flux.concat(
                Flux.just("{\"contents\": [{\"parts\": [{\"text\": \""),
                Flux.range(0, 3).map(i -> "y".repeat(500)),
                Flux.just("\"}]}]}"))
                .map(text -> Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));

        RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST", ALLOWED, withKey(), chunks, -1);

        assertRejected(answer, 413, "INVALID_ARGUMENT");
    }

    @Test
    void malformedJsonIs400() {
        for (String malformed : new String[] {"{\"contents\": [", "contents=hi", "{\"a\":1} {\"b\":2}"}) {
            JsonNode error = assertRejected(post(ALLOWED, withKey(), malformed.getBytes(StandardCharsets.UTF_8)),
                    400, "INVALID_ARGUMENT");
            assertThat(error.get("message").asText()).contains("JSON");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1beta/models/../files",
            "/v1beta/models/./gemini-2.5-pro:generateContent",
            "/v1beta/models/%2e%2e/files",
            "/v1beta/models%2Fgemini-2.5-pro:generateContent",
            "/v1beta/models/gemini-2.5-pro%2F..%2F..%2Fadmin:generateContent",
            "/v1beta//models/gemini-2.5-pro:generateContent",
            "/v1beta/models/gemini@pro:generateContent",
            "/v1beta/models/gemini-2.5-pro:generate.Content"})
    void malformedPathsAre400(String path) {
        assertRejected(post(path, withKey(), BODY), 400, "INVALID_ARGUMENT");
    }

    @Test
    void aBackslashInThePathIs400AndNeverReachesUpstream() {
        // A raw backslash is not legal in a request target: the server refuses it before any gateway code runs, so
        // the answer is a bare 400 rather than a Gemini-shaped one. The encoded form reaches the path check.
        RawHttp.Answer raw = post("/v1beta/models\\..\\files", withKey(), BODY);
        assertThat(raw.status()).isEqualTo(400);

        assertRejected(post("/v1beta/models%5C..%5Cfiles", withKey(), BODY), 400, "INVALID_ARGUMENT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v2/models/gemini-2.5-pro:generateContent", "/favicon.ico", "/v1beta",
            "/openapi/v1beta/models"})
    void pathsOutsideTheGeminiApiAre404(String path) {
        assertRejected(RawHttp.send(gateway.baseUrl(), "GET", path, withKey(), null), 404, "NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/health", "/actuator/prometheus", "/actuatorx"})
    void actuatorPathsOnTheApiPortAreAGemini404NotA500(String path) {
        // Actuator lives on the management port only; on the API port these are just paths outside the Gemini API.
        assertRejected(RawHttp.send(gateway.baseUrl(), "GET", path, withKey(), null), 404, "NOT_FOUND");
    }

    @Test
    void anUnsupportedMethodIs405() {
        assertRejected(RawHttp.send(gateway.baseUrl(), "PUT", ALLOWED, withKey(), BODY), 405, "INVALID_ARGUMENT");
    }

    @AfterEach
    void nothingReachedUpstream() {
        assertThat(upstream.requests()).as("requests that reached upstream").hasSize(upstreamRequestsBefore);
    }

    private static JsonNode assertRejected(RawHttp.Answer answer, int code, String status) {
        return assertGatewayError(answer.status(), answer.headers(), answer.body(), code, status);
    }

    private static RawHttp.Answer post(String path, Map<String, String> headers, byte[] body) {
        return RawHttp.send(gateway.baseUrl(), "POST", path, headers, body);
    }

    private static Map<String, String> json() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private static Map<String, String> withKey() {
        Map<String, String> headers = json();
        headers.put("x-goog-api-key", RunningGateway.CLIENT_KEY);
        return headers;
    }
}
