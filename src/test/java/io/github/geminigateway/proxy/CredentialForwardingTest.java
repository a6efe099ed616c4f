package io.github.geminigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Key custody on the wire: Google receives the gateway's key only as the x-goog-api-key header, and none of the
 * caller's credentials, wherever the caller put them.
 */
class CredentialForwardingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String BODY = "{\"contents\": [{\"parts\": [{\"text\": \"hi\"}]}]}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void upstreamGetsTheRealKeyOnlyAsHeaderAndNoneOfTheCallersCredentials() throws InterruptedException {
        int status = bareClient().post().uri(GENERATE)
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY)
                .header("Authorization", "Bearer caller-oauth-token")
                .header("Cookie", "session=caller-cookie")
                .header("Proxy-Authorization", "Basic Y2FsbGVyOnB3")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(TIMEOUT);

        assertThat(status).isEqualTo(200);
        RecordedRequest received = upstream.awaitRequest(TIMEOUT);
        assertOnlyTheUpstreamKeyArrived(received);
        assertThat(received.headers().contains("Authorization")).isFalse();
        assertThat(received.headers().contains("Cookie")).isFalse();
        assertThat(received.headers().contains("Proxy-Authorization")).isFalse();
        assertThat(allOf(received)).doesNotContain("caller-oauth-token", "caller-cookie", "Y2FsbGVyOnB3");
        assertThat(received.headers().get("X-Request-Id")).isNotBlank();
    }

    @Test
    void aKeyInTheQueryAuthenticatesAndIsNotForwarded() throws InterruptedException {
        int status = bareClient().post()
                .uri(URI.create(gateway.baseUrl() + GENERATE + "?key=" + RunningGateway.CLIENT_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(TIMEOUT);

        assertThat(status).isEqualTo(200);
        RecordedRequest received = upstream.awaitRequest(TIMEOUT);
        assertThat(received.uri()).isEqualTo(GENERATE);
        assertOnlyTheUpstreamKeyArrived(received);
    }

    @Test
    void aQueryKeyIsRemovedAndTheOtherParametersAreKept() throws InterruptedException {
        upstream.enqueue(FakeGemini.Reply.events(FakeGemini.GENERATE_JSON));
        String stream = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";

        String body = bareClient().post()
                .uri(URI.create(gateway.baseUrl() + stream + "?alt=sse&key=" + RunningGateway.CLIENT_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .retrieve().bodyToMono(String.class).block(TIMEOUT);

        assertThat(body).isEqualTo("data: " + FakeGemini.GENERATE_JSON + "\r\n\r\n");
        RecordedRequest received = upstream.awaitRequest(TIMEOUT);
        assertThat(received.uri()).isEqualTo(stream + "?alt=sse");
        assertOnlyTheUpstreamKeyArrived(received);
    }

    @Test
    void aPercentEncodedKeyParameterIsNotForwardedEither() throws InterruptedException {
        // Spring decodes query parameter names, so "%6Bey=" authenticates the caller exactly like "key=" does;
        // Google decodes them too, so the raw parameter must not reach it.
        int status = bareClient().post()
                .uri(URI.create(gateway.baseUrl() + GENERATE + "?%6Bey=" + RunningGateway.CLIENT_KEY))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(TIMEOUT);

        RecordedRequest received = upstream.awaitRequest(Duration.ofSeconds(2));
        if (received != null) {
            assertThat(status).isEqualTo(200);
            assertOnlyTheUpstreamKeyArrived(received);
        } else {
            assertThat(status).isBetween(400, 499);
        }
    }

    private static void assertOnlyTheUpstreamKeyArrived(RecordedRequest received) {
        assertThat(received.headers().getAll("x-goog-api-key")).containsExactly(RunningGateway.UPSTREAM_KEY);
        assertThat(received.uri()).doesNotContain("key=", RunningGateway.UPSTREAM_KEY,
                RunningGateway.CLIENT_KEY);
        assertThat(allOf(received)).doesNotContain(RunningGateway.CLIENT_KEY);
    }

    private static String allOf(RecordedRequest received) {
        StringBuilder all = new StringBuilder(received.uri()).append('\n');
        for (Map.Entry<String, String> header : received.headers()) {
            all.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
        }
        return all.append(received.bodyText()).toString();
    }

    private static WebClient bareClient() {
        return WebClient.builder().baseUrl(gateway.baseUrl()).build();
    }

    /** Issue 18, item 1: one request with a bogus credential parameter used to take the only key out of rotation. */
    @Test
    void aCredentialInAnySystemParameterSpellingNeverReachesGoogleAndCannotBenchTheKey() throws InterruptedException {
        for (String parameter : new String[] {"%24key=bogus", "access_token=bogus", "$oauth_token=bogus"}) {
            int status = bareClient().post().uri(URI.create(gateway.baseUrl() + GENERATE + "?" + parameter))
                    .header("x-goog-api-key", RunningGateway.CLIENT_KEY)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                    .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                    .block(TIMEOUT);

            assertThat(status).as(parameter).isEqualTo(200);
            assertThat(upstream.awaitRequest(TIMEOUT).uri()).as(parameter).isEqualTo(GENERATE);
        }
    }

    @Test
    void aBare401FromGoogleIsRelayedButDoesNotTakeTheKeyOutOfRotation() throws InterruptedException {
        upstream.enqueue(FakeGemini.Reply.json(401, "{\"error\":{\"code\":401,\"message\":\"Request had "
                + "invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}"));

        int first = post();
        int second = post();

        assertThat(first).isEqualTo(401);
        assertThat(second).as("the key still serves").isEqualTo(200);
        assertThat(upstream.awaitRequest(TIMEOUT).headers().get("x-goog-api-key"))
                .isEqualTo(RunningGateway.UPSTREAM_KEY);
        assertThat(upstream.awaitRequest(TIMEOUT)).isNotNull();
    }

    private static int post() {
        return bareClient().post().uri(GENERATE).header("x-goog-api-key", RunningGateway.CLIENT_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(TIMEOUT);
    }
}
