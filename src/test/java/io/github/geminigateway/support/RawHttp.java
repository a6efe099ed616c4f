package io.github.geminigateway.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One HTTP exchange on a fresh connection, with the path sent exactly as given (no normalising, no re-encoding) and
 * no transparent compression, for tests that must see the raw bytes and headers.
 */
public final class RawHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RawHttp() {
    }

    /** The status, headers and body bytes of an answer. */
    public record Answer(int status, HttpHeaders headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public static Answer send(String baseUrl, String method, String pathAndQuery, Map<String, String> headers,
                              byte[] body) {
        Publisher<ByteBuf> content = body == null ? Mono.empty() : Mono.just(Unpooled.wrappedBuffer(body));
        return send(baseUrl, method, pathAndQuery, headers, content, body == null ? -1 : body.length);
    }

    /** Sends the body read by read; without a content length it goes out chunked. */
    public static Answer send(String baseUrl, String method, String pathAndQuery, Map<String, String> headers,
                              Publisher<ByteBuf> body, long contentLength) {
        return HttpClient.newConnection()
                .headers(h -> {
                    headers.forEach(h::set);
                    if (contentLength >= 0) {
                        h.set("Content-Length", contentLength);
                    }
                })
                .request(HttpMethod.valueOf(method))
                .uri(baseUrl + pathAndQuery)
                .send(Flux.from(body))
                .responseSingle((response, bytes) -> bytes.asByteArray().defaultIfEmpty(new byte[0])
                        .map(received -> {
                            HttpHeaders answerHeaders = new HttpHeaders();
                            response.responseHeaders().forEach(h -> answerHeaders.add(h.getKey(), h.getValue()));
                            return new Answer(response.status().code(), answerHeaders, received);
                        }))
                .block(TIMEOUT);
    }
}
