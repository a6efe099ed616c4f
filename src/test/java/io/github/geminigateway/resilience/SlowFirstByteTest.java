package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow upstream is not a failing one: an answer whose first byte comes late, but within the first-byte timeout, is
 * served on the first attempt, not cut off and retried. It needs a longer first-byte timeout than the fault tests,
 * hence a gateway of its own.
 */
class SlowFirstByteTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.timeouts.first-byte=2s",
                "--gateway.retry.initial-backoff=20ms",
                "--gateway.retry.max-backoff=100ms");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void aSlowFirstByteWithinTheTimeoutIsServedOnTheFirstAttempt() {
        upstream.enqueue(Reply.delayed(Duration.ofMillis(200), Reply.json(200, FakeGemini.GENERATE_JSON)));

        Answer answer = post(gateway, generatePath("gemini-2.5-flash"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(FakeGemini.GENERATE_JSON);
        assertThat(upstream.requests()).hasSize(1);
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(5));
    }
}
