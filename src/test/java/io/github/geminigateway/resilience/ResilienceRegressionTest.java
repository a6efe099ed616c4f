package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

/**
 * Regressions found by the resilience suite, each failing before its fix: an SSE answer with a Content-Length, a 429
 * without RetryInfo, a resource-level 403.
 */
class ResilienceRegressionTest {

    static final String CHUNK_1 = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The sky\"}],\"role\": \"model\"},\"index\": 0}]}";
    static final String EVENT_1 = "data: " + CHUNK_1 + "\r\n\r\n";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.retry.initial-backoff=20ms",
                "--gateway.retry.max-backoff=100ms", "--gateway.timeouts.first-byte=3s");
    private static final FakeGemini upstream = gateway.upstream();
    private int before;

    @BeforeEach
    void forget() {
        before = upstream.requests().size();
    }

    @Test
    void anSseStreamWithAContentLengthStillEndsWithTheTerminalError() {
        // One scalar chunk: the fake (Reactor Netty) sends it with Content-Length, then ends the response cleanly.
        upstream.enqueue(Reply.sse(Flux.just(EVENT_1)));
        Answer answer = post(gateway, GatewayHttp.ssePath("gemini-2.5-flash"));
        assertThat(answer.body()).startsWith(EVENT_1).contains("data: {\"error\":");
    }

    @Test
    void aPerMinute429WithoutRetryInfoIsRetried() {
        for (int i = 0; i < 5; i++) {
            upstream.enqueue(Reply.json(429, GoogleErrors.perMinute(null)), Reply.json(200, FakeGemini.GENERATE_JSON));
            Answer answer = post(gateway, generatePath("gemini-2.0-flash"));
            assertThat(answer.status()).as("call %d", i).isEqualTo(200);
        }
    }

    @Test
    void aCallerCaused403DoesNotTakeTheGatewaysKeyOutOfRotation() throws Exception {
        upstream.enqueue(Reply.json(403, GoogleErrors.status(403, "PERMISSION_DENIED",
                "You do not have permission to access the File abc123 or it may not exist.")));
        Integer fileStatus = gateway.client().get().uri("/v1beta/files/abc123")
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(Duration.ofSeconds(10));
        assertThat(fileStatus).isEqualTo(403);
        Answer answer = post(gateway, generatePath("gemini-2.5-flash-lite"));
        assertThat(answer.status()).isEqualTo(200);
    }
}
