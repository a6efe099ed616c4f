package io.github.geminigateway.proxy;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.RelayedUpstreamError;
import io.github.geminigateway.observability.GatewayMetrics;
import io.github.geminigateway.observability.GatewayMetrics.StreamMeter;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.stream.AnswerScanner;
import io.github.geminigateway.stream.StreamGuard;
import io.github.geminigateway.upload.PublicBaseUrl;
import io.github.geminigateway.upload.UploadUrlRewriter;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import io.github.geminigateway.upstream.UpstreamResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Turns the upstream response into the caller's response, bytes unchanged. Server-sent events go through the
 * {@link StreamGuard}, in the dialect of the call's surface, and are written and flushed event by event as they
 * arrive; a JSON-array stream, read by read. Other answers (a unary generate or interaction, countTokens,
 * embeddings, file metadata) are one JSON document that the caller parses whole: one of up to {@value #HELD_BODY}
 * bytes is held until its end and sent in one write with its status and headers, which costs a fraction of a write
 * and flush per network read (bench/results); a longer one is streamed from the moment it passes that size. Error
 * bodies are read whole and sanitized, and handed to the error writer. What the answer reports (usage, finish) goes
 * into the call's facts, from which the limits are settled when the call ends.
 */
public final class ResponseRelay {

    private static final int MAX_SCANNED_BODY = 8 * 1024 * 1024;
    static final int HELD_BODY = 1024 * 1024;
    private static final String UPLOAD_URL = "X-Goog-Upload-URL";
    private static final byte[] NO_BYTES = new byte[0];

    private final HeaderPolicy headerPolicy;
    private final UpstreamErrorReader errorReader;
    private final UploadUrlRewriter uploads;
    private final PublicBaseUrl publicBaseUrl;
    private final GatewayMetrics metrics;

    public ResponseRelay(HeaderPolicy headerPolicy, UpstreamErrorReader errorReader, UploadUrlRewriter uploads,
                         PublicBaseUrl publicBaseUrl, GatewayMetrics metrics) {
        this.headerPolicy = headerPolicy;
        this.errorReader = errorReader;
        this.uploads = uploads;
        this.publicBaseUrl = publicBaseUrl;
        this.metrics = metrics;
    }

    Mono<Void> relay(CallContext context, UpstreamResponse response) {
        HttpHeaders headers = headerPolicy.relayedResponseHeaders(response.headers());
        if (response.status() >= 400) {
            return errorReader.read(response, context.record().requestId())
                    .flatMap(error -> Mono.error(new RelayedUpstreamError(error, headers)));
        }
        ServerWebExchange exchange = context.exchange();
        context.answeredOk();
        context.admission().rateLimitHeaders().forEach(headers::set);
        String uploadUrl = response.header(UPLOAD_URL);
        if (context.path().upload() && uploadUrl != null) {
            headers.set(UPLOAD_URL, uploads.rewrite(uploadUrl, context.caller().id(),
                    publicBaseUrl.of(exchange.getRequest())));
        }
        ServerHttpResponse out = exchange.getResponse();
        out.setStatusCode(HttpStatusCode.valueOf(response.status()));
        Flux<DataBuffer> body = response.body();
        boolean eventStream = isEventStream(headers);
        if (eventStream) {
            // The guard may add a terminal error event, so the upstream's length no longer holds.
            headers.remove(HttpHeaders.CONTENT_LENGTH);
        }
        out.getHeaders().addAll(headers);
        if (eventStream) {
            return writeEvents(out, events(context, body));
        }
        AnswerScanner scanner = context.surface().answerScanner(context.call().operation());
        Flux<DataBuffer> relayed;
        if (scanner != null) {
            boolean gzip = "gzip".equalsIgnoreCase(headers.getFirst(HttpHeaders.CONTENT_ENCODING));
            relayed = scannedBody(context, body, gzip, scanner);
        } else {
            relayed = counted(context.record(), body);
        }
        relayed = relayed.onErrorMap(ResponseRelay::failedMidAnswer);
        if (context.call().flushEachRead()) {
            // The JSON-array stream (no alt=sse) is never held back either: each read is written and flushed.
            return out.writeAndFlushWith(relayed.map(Mono::just));
        }
        return wholeOrStreamed(out, relayed);
    }

    /**
     * Writes and flushes each whole event on its own (the guard has already framed any failure). The status and
     * headers go out at once, as Google's do, not with the first event: a thinking model can take many seconds to its
     * first event, and the caller (or an ingress in between) should not wait blind meanwhile. An empty first write (a
     * wrapped empty array: nothing pooled to release) is what makes Spring commit the response before anything else
     * arrives. mergeSequential, not concat, so that the upstream body is subscribed at once, not after the headers'
     * write: with concat, an event that arrived just before an upstream reset was lost (StreamFaultTest).
     */
    private static Mono<Void> writeEvents(ServerHttpResponse out, Flux<DataBuffer> events) {
        Mono<DataBuffer> headersNow = Mono.just(out.bufferFactory().wrap(NO_BYTES));
        // Prefetch 1: events are written one by one anyway, and a larger prefetch keeps a queue per open stream.
        return out.writeAndFlushWith(Flux.mergeSequential(1, Mono.just(headersNow), events.map(Mono::just)));
    }

    /**
     * Sends a body that ends within {@link #HELD_BODY} bytes as one write; a longer one goes out as it comes once it
     * has passed that size, each read flushed.
     */
    private static Mono<Void> wholeOrStreamed(ServerHttpResponse out, Flux<DataBuffer> body) {
        long[] held = {0};
        return body.bufferUntil(buffer -> (held[0] += buffer.readableByteCount()) > HELD_BODY)
                .switchOnFirst((first, parts) -> {
                    if (first.hasValue() && held[0] <= HELD_BODY) {
                        // The first part arrived within the size, so it came with the end: it is the whole body.
                        return out.writeWith(Mono.just(out.bufferFactory().join(first.get())));
                    }
                    return out.writeAndFlushWith(parts.map(Flux::fromIterable));
                })
                // Last, so that it covers every operator above: buffers held or queued when the caller goes away.
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                .then();
    }

    /** Before the answer has started, an upstream that fails mid-body is a clean gateway error, not a cut response. */
    private static Throwable failedMidAnswer(Throwable failure) {
        if (failure instanceof GatewayException) {
            return failure;
        }
        return failure instanceof TimeoutException
                ? new GatewayException(ErrorStatus.DEADLINE_EXCEEDED, ErrorType.UPSTREAM_TIMEOUT,
                        "The upstream Gemini API stopped sending its answer for longer than the gateway's idle timeout.")
                : new GatewayException(ErrorStatus.BAD_GATEWAY, ErrorType.UPSTREAM_UNAVAILABLE,
                        "The upstream Gemini API closed the connection in the middle of its answer.");
    }

    private Flux<DataBuffer> events(CallContext context, Flux<DataBuffer> body) {
        RequestRecord record = context.record();
        record.facts(context.facts());
        StreamMeter meter = metrics.streamStarted(context.call().model());
        StreamGuard guard = new StreamGuard(context.facts(),
                context.surface().dialect(context.exchange().getRequest().getHeaders()), errorReader,
                record.requestId(), record::truncated);
        Duration remaining = context.call().deadlines().total().minusNanos(record.elapsedNanos());
        return guard.guard(body, remaining.isNegative() ? Duration.ZERO : remaining)
                .doOnNext(event -> {
                    meter.event();
                    record.addBytesOut(event.length);
                })
                .map(event -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(event))
                .doFinally(signal -> meter.ended(signal == SignalType.CANCEL ? "cancelled"
                        : record.truncation() != null ? "truncated" : "complete"));
    }

    /** A unary answer worth accounting: relayed as it arrives, with a copy scanned at the end for its usage. */
    private Flux<DataBuffer> scannedBody(CallContext context, Flux<DataBuffer> body, boolean gzip,
                                         AnswerScanner scanner) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        return counted(context.record(), body)
                .doOnNext(buffer -> {
                    if (copy.size() + buffer.readableByteCount() <= MAX_SCANNED_BODY) {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
                        copy.writeBytes(bytes);
                    }
                })
                .concatWith(Mono.fromRunnable(() -> {
                    byte[] json = gzip ? inflate(copy.toByteArray()) : copy.toByteArray();
                    scanner.scan(json, 0, json.length, context.facts());
                    context.record().facts(context.facts());
                }));
    }

    /** A relayed body that counts bytes out (the upstream response itself fails it when it stalls). */
    private Flux<DataBuffer> counted(RequestRecord record, Flux<DataBuffer> body) {
        return body.doOnNext(buffer -> record.addBytesOut(buffer.readableByteCount()));
    }

    private static byte[] inflate(byte[] gzip) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readNBytes(MAX_SCANNED_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean isEventStream(HttpHeaders headers) {
        String type = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, MediaType.TEXT_EVENT_STREAM_VALUE, 0,
                MediaType.TEXT_EVENT_STREAM_VALUE.length());
    }
}
