package io.github.geminigateway.proxy;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.error.UpstreamError;
import io.github.geminigateway.error.UpstreamErrorReader;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.stream.SseEventSplitter;
import io.github.geminigateway.upload.PublicBaseUrl;
import io.github.geminigateway.upload.UploadUrlRewriter;
import io.github.geminigateway.upstream.UpstreamResponse;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns the upstream response into the caller's response. Success bodies are relayed as they arrive, bytes
 * unchanged, and flushed read by read; server-sent events are flushed event by event. Error bodies are read whole
 * and sanitized first, since they are small and may carry details that must not reach the caller.
 */
public final class ResponseRelay {

    private static final int MAX_ERROR_BODY = 1024 * 1024;
    private static final String UPLOAD_URL = "X-Goog-Upload-URL";

    private final HeaderPolicy headerPolicy;
    private final UpstreamErrorReader errorReader;
    private final UploadUrlRewriter uploads;
    private final PublicBaseUrl publicBaseUrl;

    public ResponseRelay(HeaderPolicy headerPolicy, UpstreamErrorReader errorReader, UploadUrlRewriter uploads,
                         PublicBaseUrl publicBaseUrl) {
        this.headerPolicy = headerPolicy;
        this.errorReader = errorReader;
        this.uploads = uploads;
        this.publicBaseUrl = publicBaseUrl;
    }

    public Mono<ServerResponse> relay(ServerWebExchange exchange, GeminiPath path, Caller caller,
                                      UpstreamResponse response) {
        RequestRecord record = RequestRecord.of(exchange);
        record.upstreamHeaders(response.status());
        HttpHeaders headers = headerPolicy.relayedResponseHeaders(response.headers());
        if (response.status() >= 400) {
            return relayError(record, response, headers);
        }
        String uploadUrl = response.header(UPLOAD_URL);
        if (path.upload() && uploadUrl != null) {
            headers.set(UPLOAD_URL, uploads.rewrite(uploadUrl, caller.id(),
                    publicBaseUrl.of(exchange.getRequest())));
        }
        Flux<DataBuffer> body = response.body();
        return ServerResponse.status(response.status())
                .headers(relayed -> relayed.addAll(headers))
                .body(isEventStream(headers) ? events(body, record) : reads(body, record));
    }

    private Mono<ServerResponse> relayError(RequestRecord record, UpstreamResponse response, HttpHeaders headers) {
        boolean gzip = "gzip".equalsIgnoreCase(headers.getFirst(HttpHeaders.CONTENT_ENCODING));
        return DataBufferUtils.join(response.body(), MAX_ERROR_BODY)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(new byte[0]))
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> {
                    UpstreamError error = errorReader.read(response.status(), bytes, gzip, record.requestId());
                    record.failed(error.errorType());
                    record.addBytesOut(error.body().length);
                    headers.remove(HttpHeaders.CONTENT_LENGTH);
                    headers.remove(HttpHeaders.CONTENT_ENCODING);
                    headers.setContentType(MediaType.APPLICATION_JSON);
                    return ServerResponse.status(response.status())
                            .headers(relayed -> relayed.addAll(headers))
                            .bodyValue(error.body());
                });
    }

    private static BodyInserter<Flux<DataBuffer>, org.springframework.http.ReactiveHttpOutputMessage> reads(
            Flux<DataBuffer> body, RequestRecord record) {
        Flux<DataBuffer> counted = body.doOnNext(buffer -> record.addBytesOut(buffer.readableByteCount()));
        return (message, context) -> message.writeAndFlushWith(counted.map(Mono::just));
    }

    private static BodyInserter<Flux<DataBuffer>, org.springframework.http.ReactiveHttpOutputMessage> events(
            Flux<DataBuffer> body, RequestRecord record) {
        Flux<DataBuffer> events = SseEventSplitter.split(body)
                .doOnNext(event -> record.addBytesOut(event.length))
                .map(event -> DefaultDataBufferFactory.sharedInstance.wrap(event));
        return (message, context) -> message.writeAndFlushWith(events.map(Mono::just));
    }

    private static boolean isEventStream(HttpHeaders headers) {
        String type = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, MediaType.TEXT_EVENT_STREAM_VALUE, 0,
                MediaType.TEXT_EVENT_STREAM_VALUE.length());
    }
}
