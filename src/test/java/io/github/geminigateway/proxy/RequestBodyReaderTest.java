package io.github.geminigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.surface.BodyFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RequestBodyReaderTest {

    private static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";

    private final RequestBodyReader reader = new RequestBodyReader(DataSize.ofKilobytes(1));

    @Test
    void returnsTheBodyBytesUnchanged() {
        byte[] body = "{ \"contents\" : [ {\"parts\":[{\"text\":\"h\u00e9llo\"}]} ] }\n".getBytes(StandardCharsets.UTF_8);

        StepVerifier.create(readJson(reader, post(body)))
                .assertNext(bytes -> assertThat(bytes).isEqualTo(body))
                .verifyComplete();
    }

    @Test
    void anEmptyBodyIsAccepted() {
        StepVerifier.create(readJson(reader, MockServerHttpRequest.get("/v1beta/models").build()))
                .assertNext(bytes -> assertThat(bytes).isEmpty())
                .verifyComplete();
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        byte[] body = jsonOfSize(1024);

        StepVerifier.create(readJson(reader, post(body)))
                .assertNext(bytes -> assertThat(bytes).hasSize(1024))
                .verifyComplete();
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIs413WithoutReadingTheBody() {
        AtomicBoolean subscribed = new AtomicBoolean();
        Flux<DataBuffer> body = Flux.<DataBuffer>empty().doOnSubscribe(s -> subscribed.set(true));
        MockServerHttpRequest request = MockServerHttpRequest.post(PATH).contentLength(1025).body(body);

        StepVerifier.create(readJson(reader, request))
                .verifyErrorSatisfies(e -> assertStatus(e, ErrorStatus.PAYLOAD_TOO_LARGE));
        assertThat(subscribed).isFalse();
    }

    /** Issue 18, item 2: about 1 KB of gzip that inflates to 10 MB used to be inflated whole, on the event loop. */
    @Test
    void aGzipBodyThatInflatesPastTheLimitIs413WithoutInflatingItAll() throws IOException {
        byte[] bomb = gzip("{\"contents\":\"" + "0".repeat(10 * 1024 * 1024) + "\"}");
        assertThat(bomb.length).isLessThan(1024 * 12);
        MockServerHttpRequest request = MockServerHttpRequest.post(PATH)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").body(Mono.just(wrap(bomb)));

        StepVerifier.create(readJson(new RequestBodyReader(DataSize.ofKilobytes(16)), request))
                .verifyErrorSatisfies(e -> {
                    assertStatus(e, ErrorStatus.PAYLOAD_TOO_LARGE);
                    assertThat(e.getMessage()).contains("once inflated");
                });
    }

    /** Issue 18, item 3: past the gateway-wide body budget a request is a 503, and what it took is given back. */
    @Test
    void aBodyPastTheGatewaysBudgetIsA503AndTakesNothing() {
        BodyBudget budget = new BodyBudget(1000, 1000);
        BodyBudget.Share holder = budget.share("team-a");
        StepVerifier.create(reader.read(post(jsonOfSize(600)), BodyFields.NONE, holder)).expectNextCount(1)
                .verifyComplete();

        StepVerifier.create(reader.read(post(jsonOfSize(600)), BodyFields.NONE, budget.share("team-b")))
                .verifyErrorSatisfies(e -> {
                    assertStatus(e, ErrorStatus.UNAVAILABLE);
                    assertThat(((GatewayException) e).retryAfter()).isPositive();
                });
        assertThat(budget.held()).isEqualTo(600);

        holder.release();
        holder.release();
        assertThat(budget.held()).isZero();
        StepVerifier.create(reader.read(post(jsonOfSize(600)), BodyFields.NONE, budget.share("team-b")))
                .expectNextCount(1).verifyComplete();
    }

    /** The review found it: one client sending bodies slowly could hold the whole budget and lock the others out. */
    @Test
    void oneClientHoldsNoMoreThanItsShareOfTheBudget() {
        BodyBudget budget = new BodyBudget(1000, 700);
        StepVerifier.create(reader.read(post(jsonOfSize(600)), BodyFields.NONE, budget.share("greedy")))
                .expectNextCount(1).verifyComplete();

        StepVerifier.create(reader.read(post(jsonOfSize(200)), BodyFields.NONE, budget.share("greedy")))
                .verifyErrorSatisfies(e -> assertStatus(e, ErrorStatus.UNAVAILABLE));
        StepVerifier.create(reader.read(post(jsonOfSize(300)), BodyFields.NONE, budget.share("other")))
                .expectNextCount(1).verifyComplete();
        assertThat(budget.held()).isEqualTo(900);
    }

    @Test
    void anUndeclaredBodyOverTheLimitIs413() {
        Flux<DataBuffer> chunks = Flux.range(0, 5)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[300]));
        MockServerHttpRequest request = MockServerHttpRequest.post(PATH).body(chunks);

        StepVerifier.create(readJson(reader, request))
                .verifyErrorSatisfies(e -> {
                    assertStatus(e, ErrorStatus.PAYLOAD_TOO_LARGE);
                    assertThat(e.getMessage()).contains("1024B");
                });
    }

    @Test
    void malformedJsonIs400() {
        for (String malformed : new String[] {"{\"contents\": [", "not json", "{\"a\":1,}", "{'a':1}"}) {
            StepVerifier.create(readJson(reader, post(malformed.getBytes(StandardCharsets.UTF_8))))
                    .verifyErrorSatisfies(e -> assertStatus(e, ErrorStatus.INVALID_ARGUMENT));
        }
    }

    @Test
    void twoJsonValuesAre400() {
        StepVerifier.create(readJson(reader, post("{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8))))
                .verifyErrorSatisfies(e -> {
                    assertStatus(e, ErrorStatus.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("more than one JSON value");
                });
    }

    @Test
    void aGzipBodyIsValidatedAfterInflatingAndReturnedStillCompressed() throws IOException {
        byte[] gzip = gzip("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
        MockServerHttpRequest request = MockServerHttpRequest.post(PATH)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").body(Mono.just(wrap(gzip)));

        StepVerifier.create(readJson(reader, request))
                .assertNext(bytes -> assertThat(bytes).isEqualTo(gzip))
                .verifyComplete();
    }

    @Test
    void aGzipBodyThatInflatesToMalformedJsonIs400() throws IOException {
        MockServerHttpRequest request = MockServerHttpRequest.post(PATH)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").body(Mono.just(wrap(gzip("{\"contents\": ["))));

        StepVerifier.create(readJson(reader, request))
                .verifyErrorSatisfies(e -> assertStatus(e, ErrorStatus.INVALID_ARGUMENT));
    }

    @Test
    void aBodyLabelledGzipThatIsNotGzipIs400() {
        MockServerHttpRequest request = MockServerHttpRequest.post(PATH)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip")
                .body(Mono.just(wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8))));

        StepVerifier.create(readJson(reader, request))
                .verifyErrorSatisfies(e -> assertStatus(e, ErrorStatus.INVALID_ARGUMENT));
    }

    /** The body of a call that names no model, read with no budget to speak of. */
    private static Mono<byte[]> readJson(RequestBodyReader reader, ServerHttpRequest request) {
        return reader.read(request, BodyFields.NONE, new BodyBudget(Long.MAX_VALUE, Long.MAX_VALUE).share("-"))
                .map(RequestBodyReader.ReadBody::bytes);
    }

    private static MockServerHttpRequest post(byte[] body) {
        return MockServerHttpRequest.post(PATH).body(Mono.just(wrap(body)));
    }

    private static DataBuffer wrap(byte[] bytes) {
        return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
    }

    private static byte[] jsonOfSize(int size) {
        String prefix = "{\"t\":\"";
        String suffix = "\"}";
        return (prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix)
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void assertStatus(Throwable error, ErrorStatus status) {
        assertThat(error).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(status));
    }
}
