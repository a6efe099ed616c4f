package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.GatewayHttp;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 5: model ids a caller chooses must not grow the circuit breakers or the metric series. Unknown
 * models share the breaker and the tag {@code other}.
 */
class ModelCardinalityTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();

    private static final int CALLER_CHOSEN_MODELS = 60;

    @Test
    void modelIdsACallerMakesUpShareOneBreakerAndOneTag() {
        String notFound = "{\"error\":{\"code\":404,\"message\":\"not found\",\"status\":\"NOT_FOUND\"}}";
        for (int i = 0; i < CALLER_CHOSEN_MODELS; i++) {
            upstream.enqueue(Reply.json(404, notFound));
            assertThat(post(gateway, generatePath("made-up-model-" + i)).status()).isEqualTo(404);
        }
        upstream.enqueue(Reply.json(200, FakeGemini.GENERATE_JSON));
        assertThat(post(gateway, generatePath("gemini-2.5-flash")).status()).isEqualTo(200);

        CircuitBreakerRegistry breakers = gateway.context().getBean(CircuitBreakerRegistry.class);
        assertThat(breakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
                .containsExactlyInAnyOrder("other", "gemini-2.5-flash");
        String scrape = GatewayHttp.prometheus(gateway);
        assertThat(scrape).doesNotContain("made-up-model").contains("model=\"other\"");
    }
}
