package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The limits through a whole gateway (memory store): token limits settled from the usage of real unary and streamed
 * answers as the relay sees them, the stream cap, the headers, and the metrics on the management port. Each test
 * uses its own client, so they share one gateway without sharing a balance.
 */
class LimitsEndToEndTest {

    private static final String USAGE = "\"usageMetadata\":{\"promptTokenCount\":300,\"candidatesTokenCount\":900,"
            + "\"thoughtsTokenCount\":300,\"totalTokenCount\":1500}";
    private static final String ANSWER = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}],"
            + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," + USAGE + "}";
    private static final String FIRST_EVENT = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],"
            + "\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":300,\"totalTokenCount\":300}}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.limits.output-token-estimate=10",
                "--gateway.models.[gemini-2.5-flash].requests-per-day=1000",
                RunningGateway.clientArg("unary"), RunningGateway.clientArg("streamed"), RunningGateway.clientArg("slots"), RunningGateway.clientArg("counted"), RunningGateway.clientArg("metered"),
                RunningGateway.clientArg("early"), "--gateway.clients.early.requests-per-minute=1",
                "--gateway.clients.unary.tokens-per-minute=1000",
                "--gateway.clients.streamed.tokens-per-minute=1000",
                "--gateway.clients.slots.max-concurrent-streams=1",
                "--gateway.clients.counted.requests-per-minute=10",
                "--gateway.clients.metered.tokens-per-minute=1000");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void aUnaryAnswerIsChargedItsReportedTokensAndTheDebtDelaysTheNextCall() {
        upstream.enqueue(Reply.json(200, ANSWER));
        assertThat(GeminiCalls.generate(gateway.baseUrl(), "unary-key").statusCode()).isEqualTo(200);

        HttpResponse<String> refused = firstRefusal("unary-key");

        assertThat(GeminiCalls.json(refused).at("/error/details/0/violations/0/quotaId").asText())
                .isEqualTo("GatewayClientTokensPerMinute");
        assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong))
                .as("1000 - 1500 = -500; 520 tokens to wait for at 1000/min")
                .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(30L, 32L));
    }

    /**
     * The next call of a client that was just put in debt. The relay settles after it has written the answer's last
     * byte, so a caller that fires again the instant a fixed-length body arrives can slip in before the settlement
     * lands; a few calls at most, each charged only its small estimate, show the debt.
     */
    private static HttpResponse<String> firstRefusal(String key) {
        return Mono.fromCallable(() -> GeminiCalls.generate(gateway.baseUrl(), key))
                .filter(response -> response.statusCode() == 429)
                .repeatWhenEmpty(5, attempts -> attempts.delayElements(Duration.ofMillis(20)))
                .block(Duration.ofSeconds(10));
    }

    /**
     * Issue 18, item 2: a client known to be over its requests per minute is refused before its body is read, so a
     * gzip bomb or a huge body costs the gateway nothing. The malformed body would be a 400 if it were read.
     */
    @Test
    void aClientOverItsRequestsPerMinuteIsRefusedBeforeItsBodyIsRead() {
        assertThat(GeminiCalls.generate(gateway.baseUrl(), "early-key").statusCode()).isEqualTo(200);
        assertThat(GeminiCalls.generate(gateway.baseUrl(), "early-key").statusCode()).isEqualTo(429);

        HttpResponse<String> unread = GeminiCalls.post(gateway.baseUrl()
                + "/v1beta/models/gemini-2.5-flash:generateContent", "early-key", "{\"not json");

        assertThat(unread.statusCode()).as(unread.body()).isEqualTo(429);
        assertThat(GeminiCalls.json(unread).at("/error/details/0/violations/0/quotaId").asText())
                .isEqualTo("GatewayClientRequestsPerMinute");
        assertThat(unread.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aStreamIsChargedTheUsageOfItsLastEvent() {
        upstream.enqueue(Reply.events(FIRST_EVENT, ANSWER));
        HttpResponse<String> stream = GeminiCalls.stream(gateway.baseUrl(), "streamed-key");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("Hel", "Hello");

        HttpResponse<String> refused = GeminiCalls.generate(gateway.baseUrl(), "streamed-key");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(GeminiCalls.json(refused).at("/error/details/0/violations/0/quotaId").asText())
                .isEqualTo("GatewayClientTokensPerMinute");
    }

    @Test
    void aSecondStreamIsRefusedWhileTheFirstIsOpenAndAdmittedOnceItEnds() {
        Sinks.Many<String> firstStream = Sinks.many().unicast().onBackpressureBuffer();
        upstream.enqueue(Reply.sse(firstStream.asFlux()));
        firstStream.tryEmitNext("data: " + FIRST_EVENT + "\r\n\r\n");
        int before = upstream.requests().size();
        CompletableFuture<HttpResponse<String>> open = CompletableFuture.supplyAsync(
                () -> GeminiCalls.stream(gateway.baseUrl(), "slots-key"));
        Mono.fromCallable(() -> upstream.requests().size()).filter(count -> count > before)
                .repeatWhenEmpty(250, attempts -> attempts.delayElements(Duration.ofMillis(20)))
                .block(Duration.ofSeconds(10));

        HttpResponse<String> refused = GeminiCalls.stream(gateway.baseUrl(), "slots-key");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(GeminiCalls.json(refused).at("/error/details/0/violations/0/quotaId").asText())
                .isEqualTo("GatewayClientConcurrentStreams");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

        firstStream.tryEmitNext("data: " + ANSWER + "\r\n\r\n");
        firstStream.tryEmitComplete();
        assertThat(open.join().statusCode()).isEqualTo(200);
        int status = Mono.fromCallable(() -> GeminiCalls.stream(gateway.baseUrl(), "slots-key").statusCode())
                .filter(code -> code == 200)
                .repeatWhenEmpty(50, attempts -> attempts.delayElements(Duration.ofMillis(20)))
                .block(Duration.ofSeconds(10));
        assertThat(status).isEqualTo(200);
    }

    @Test
    void successfulAnswersCarryTheTightestLimitAndRemainingReallyDecreases() {
        HttpResponse<String> first = GeminiCalls.generate(gateway.baseUrl(), "counted-key");
        HttpResponse<String> second = GeminiCalls.generate(gateway.baseUrl(), "counted-key");

        assertThat(first.headers().firstValue("X-RateLimit-Limit")).hasValue("10");
        assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("9");
        assertThat(second.headers().firstValue("X-RateLimit-Remaining")).hasValue("8");
        assertThat(first.headers().firstValue("X-RateLimit-Reset")).hasValue("6");
    }

    @Test
    void rejectionsAndModelHeadroomAreExported() {
        upstream.enqueue(Reply.json(200, ANSWER));
        GeminiCalls.generate(gateway.baseUrl(), "metered-key");
        firstRefusal("metered-key");

        String metrics = GeminiCalls.get("http://127.0.0.1:" + gateway.managementPort() + "/actuator/prometheus");

        assertThat(metrics).containsPattern(
                "gemini_gateway_limit_rejections_total\\{client=\"metered\",limit=\"client_tokens_per_minute\"} [1-9]");
        assertThat(metrics).containsPattern("gemini_gateway_limit_remaining\\{limit=\"model_requests_per_day\","
                + "model=\"gemini-2.5-flash\"} \\d+");
    }
}
