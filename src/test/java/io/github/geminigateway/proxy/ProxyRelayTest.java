package io.github.geminigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The relay path for unary calls: what the caller sends reaches Google unchanged, and Google's answer comes back so. */
class ProxyRelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();
    private static final FakeGemini upstream = gateway.upstream();
    private static WebClient client;

    @BeforeAll
    static void start() {
        client = gateway.client();
    }

    @Test
    void callsGoUpstreamOverTheProtocolThisTestRunIsSetTo() throws InterruptedException {
        // The relay tests run twice (pom.xml): over HTTP/1.1, and with gateway.test.upstream-http2 over HTTP/2.
        String answer = client.post().uri(GENERATE).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .retrieve().bodyToMono(String.class).block(TIMEOUT);

        assertThat(answer).isEqualTo(FakeGemini.GENERATE_JSON);
        assertThat(upstream.awaitRequest(TIMEOUT).protocol())
                .isEqualTo(Boolean.getBoolean("gateway.test.upstream-http2") ? "HTTP/2.0" : "HTTP/1.1");
    }

    @Test
    void relaysGenerateContentByteForByteWithStatusAndHeaders() throws InterruptedException {
        byte[] answer = ("{\"candidates\" : [ {\"content\": {\"parts\": [{\"text\": \"h\u00e9llo \u2603 \\u00e9\"}],"
                + "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0} ],\n  \"usageMetadata\": "
                + "{\"promptTokenCount\": 3,\"candidatesTokenCount\": 2,\"totalTokenCount\": 5},"
                + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r-1\"}\n").getBytes(StandardCharsets.UTF_8);
        upstream.enqueue((request, response) -> response.status(200)
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Server-Timing", "gfet4t7; dur=612")
                .header("Vary", "Origin, X-Origin, Referer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Set-Cookie", "NID=upstream-cookie")
                .header("Connection", "X-Internal-Hop")
                .header("X-Internal-Hop", "lb-7")
                .sendByteArray(Mono.just(answer)));
        byte[] request = ("{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"why is the sky blue?\"}]}],"
                + "\n \"generationConfig\": {\"temperature\": 0.7}}").getBytes(StandardCharsets.UTF_8);

        ResponseEntity<byte[]> response = client.post().uri(GENERATE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request).retrieve().toEntity(byte[].class).block(TIMEOUT);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo(answer);
        HttpHeaders headers = response.getHeaders();
        assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(headers.getFirst("Server-Timing")).isEqualTo("gfet4t7; dur=612");
        assertThat(headers.getFirst("Vary")).isEqualTo("Origin, X-Origin, Referer");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.containsKey("Set-Cookie")).isFalse();
        assertThat(headers.containsKey("X-Internal-Hop")).isFalse();
        assertThat(headers.getFirst("X-Request-Id")).isNotBlank();

        RecordedRequest received = upstream.awaitRequest(TIMEOUT);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.uri()).isEqualTo(GENERATE);
        assertThat(received.body()).isEqualTo(request);
        assertThat(received.headers().get("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void relaysTheUpstreamStatusOfASuccessfulAnswer() throws InterruptedException {
        upstream.enqueue(Reply.json(201, "{\"name\": \"cachedContents/c1\"}"));

        ResponseEntity<String> response = client.post().uri("/v1beta/cachedContents")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"model\": \"models/gemini-2.5-flash\"}")
                .retrieve().toEntity(String.class).block(TIMEOUT);

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        assertThat(response.getBody()).isEqualTo("{\"name\": \"cachedContents/c1\"}");
        assertThat(upstream.awaitRequest(TIMEOUT).uri()).isEqualTo("/v1beta/cachedContents");
    }

    @Test
    void relaysEveryApiVersionAndTheSdkMethodsWithPathAndQueryIntact() throws InterruptedException {
        String[][] calls = {
                {"GET", "/v1/models?pageSize=5&pageToken=a%2Bb%3D"},
                {"GET", "/v1alpha/models/gemini-2.5-flash"},
                {"DELETE", "/v1beta/files/abc-123"},
                {"PATCH", "/v1beta/cachedContents/c1?updateMask=ttl"},
                {"POST", "/v1beta/models/gemini-embedding-001:batchEmbedContents"},
                {"POST", "/v1beta/batches/b1:cancel"}};
        for (String[] call : calls) {
            upstream.enqueue(Reply.json(200, "{}"));
            WebClient.RequestBodySpec spec = client.method(HttpMethod.valueOf(call[0])).uri(URI.create(
                    gateway.baseUrl() + call[1]));
            String body = call[0].equals("GET") || call[0].equals("DELETE") ? null : "{\"ttl\": \"60s\"}";
            ResponseEntity<String> response = (body == null ? spec : spec.contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)).retrieve().toEntity(String.class).block(TIMEOUT);

            assertThat(response.getStatusCode().value()).as(call[1]).isEqualTo(200);
            RecordedRequest received = upstream.awaitRequest(TIMEOUT);
            assertThat(received.method()).isEqualTo(call[0]);
            assertThat(received.uri()).isEqualTo(call[1]);
            assertThat(received.bodyText()).isEqualTo(body == null ? "" : body);
        }
    }

    @Test
    void relaysAGzipAnswerStillCompressedAndUnchanged() throws IOException, InterruptedException {
        byte[] compressed = gzip(FakeGemini.GENERATE_JSON);
        upstream.enqueue((request, response) -> response.status(200)
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Content-Encoding", "gzip")
                .sendByteArray(Mono.just(compressed)));

        RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST", GENERATE, Map.of(
                "x-goog-api-key", RunningGateway.CLIENT_KEY, "Content-Type", "application/json",
                "Accept-Encoding", "gzip"), "{\"contents\": []}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(answer.body()).isEqualTo(compressed);
        assertThat(upstream.awaitRequest(TIMEOUT).headers().get("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void forwardsAGzipRequestBodyUnchanged() throws IOException, InterruptedException {
        byte[] compressed = gzip("{\"contents\": [{\"parts\": [{\"text\": \"compressed prompt\"}]}]}");

        RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST", GENERATE, Map.of(
                "x-goog-api-key", RunningGateway.CLIENT_KEY, "Content-Type", "application/json",
                "Content-Encoding", "gzip"), compressed);

        assertThat(answer.status()).isEqualTo(200);
        RecordedRequest received = upstream.awaitRequest(TIMEOUT);
        assertThat(received.body()).isEqualTo(compressed);
        assertThat(received.headers().get("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void relaysALargeAnswerThatSpansManyReadsUnchanged() throws InterruptedException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("word").append(i).append(' ');
        }
        byte[] answer = ("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + text + "\"}]},"
                + "\"finishReason\": \"STOP\"}]}").getBytes(StandardCharsets.UTF_8);
        upstream.enqueue((request, response) -> response.status(200).header("Content-Type", "application/json")
                .sendByteArray(Mono.just(answer)));

        byte[] body = client.post().uri(GENERATE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contents\": []}").retrieve().bodyToMono(byte[].class).block(TIMEOUT);

        assertThat(body).isEqualTo(answer);
        upstream.awaitRequest(TIMEOUT);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void aUnaryAnswerCutMidBodyIsAGeminiShaped502NotATruncated200() {
        upstream.enqueue(Reply.jsonThenReset("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel"));

        ResponseEntity<String> response = client.post().uri(GENERATE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contents\":[]}").exchangeToMono(answer -> answer.toEntity(String.class))
                .block(TIMEOUT);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).contains("\"code\":502", "\"status\":\"UNAVAILABLE\"",
                "closed the connection in the middle of its answer").doesNotContain("Hel\"");
    }

    @Test
    void aUnaryAnswerLongerThanTheHeldSizeIsStreamedAndArrivesWhole() {
        String text = "x".repeat(ResponseRelay.HELD_BODY + 300_000);
        String body = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + text
                + "\"}]}, \"finishReason\": \"STOP\"}]}";
        upstream.enqueue((request, response) -> response.status(200)
                .header("Content-Type", "application/json; charset=UTF-8")
                .sendString(Flux.range(0, (body.length() + 65_535) / 65_536)
                        .map(i -> body.substring(i * 65_536, Math.min(body.length(), (i + 1) * 65_536))),
                        StandardCharsets.UTF_8));

        ResponseEntity<String> response = client.post().uri(GENERATE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contents\":[]}").retrieve().toEntity(String.class).block(TIMEOUT);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo(body);
    }
}
