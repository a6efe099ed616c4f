package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 4: an answer Google bills by tokens whose usage the gateway does not read (a JSON-array stream,
 * without alt=sse) keeps its token reservation instead of giving it back, so it cannot slip past a token limit.
 */
class UnreadUsageTest {

    private static final String ARRAY_STREAM = "[{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}]},"
            + "\"finishReason\": \"STOP\"}],\"usageMetadata\": {\"promptTokenCount\": 90000,"
            + "\"candidatesTokenCount\": 10000,\"totalTokenCount\": 100000}}]";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.limits.output-token-estimate=400",
                RunningGateway.clientArg("arrayed"),
                "--gateway.clients.arrayed.tokens-per-minute=1000");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void aJsonArrayStreamKeepsItsEstimateChargedSinceItsUsageIsNotRead() {
        upstream.enqueue(Reply.json(200, ARRAY_STREAM), Reply.json(200, ARRAY_STREAM), Reply.json(200, ARRAY_STREAM));
        String url = gateway.baseUrl() + "/v1beta/models/gemini-2.5-flash:streamGenerateContent";

        assertThat(GeminiCalls.post(url, "arrayed-key").statusCode()).isEqualTo(200);
        assertThat(GeminiCalls.post(url, "arrayed-key").statusCode()).isEqualTo(200);
        HttpResponse<String> third = GeminiCalls.post(url, "arrayed-key");

        assertThat(third.statusCode()).as("two estimates of about 410 tokens kept out of 1000").isEqualTo(429);
        assertThat(GeminiCalls.json(third).at("/error/details/0/violations/0/quotaId").asText())
                .isEqualTo("GatewayClientTokensPerMinute");
    }
}
