package io.github.geminigateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.surface.BodyFacts;
import io.github.geminigateway.surface.BodyFields;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a unary request body once, bounded by {@code gateway.max-request-size}, so that a retry can send it again,
 * and checks that it is well-formed JSON before anything goes upstream. The same single pass picks out the body
 * fields a surface's policies need (the model of an Interactions create). The JSON is only scanned token by token,
 * never turned into objects, and the bytes forwarded are the bytes received.
 */
public final class RequestBodyReader {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int PARSE_INLINE = 256 * 1024;
    /** Reactor Netty's signal for gateway.server.request-timeout; the class is not public, so it goes by name. */
    private static final String REQUEST_TIMEOUT = "reactor.netty.http.server.RequestTimeoutException";
    /**
     * Where large and gzip bodies are checked: threads of their own, fewer than the cores, so that a flood of small
     * gzip bodies that inflate to megabytes queues here instead of taking the CPUs from the event loops (on the
     * shared boundedElastic pool, 512 of them pushed liveness to 5.6 s on 2 cores).
     */
    private static final Scheduler CHECKS = Schedulers.newBoundedElastic(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1), Integer.MAX_VALUE, "gateway-body-check");

    private final long maxBytes;
    private final String limitText;

    public RequestBodyReader(DataSize maxRequestSize) {
        this.maxBytes = maxRequestSize.toBytes();
        this.limitText = maxRequestSize.toString();
    }

    /** A body read whole, and the wanted fields found in it. */
    record ReadBody(byte[] bytes, BodyFacts facts) {
    }

    /**
     * @param share the request's share of the gateway's body budget, taken read by read as the body arrives; the
     *              caller gives it back when the body is let go
     */
    public Mono<ReadBody> read(ServerHttpRequest request, BodyFields fields, BodyBudget.Share share) {
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge());
        }
        boolean gzip = "gzip".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING));
        Flux<DataBuffer> budgeted = request.getBody().handle((buffer, sink) -> {
            if (share.tryTake(buffer.readableByteCount())) {
                sink.next(buffer);
            } else {
                DataBufferUtils.release(buffer);
                sink.error(BodyBudget.overloaded());
            }
        });
        return DataBufferUtils.join(budgeted, Math.toIntExact(Math.min(maxBytes, Integer.MAX_VALUE - 8)))
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
                // The server's read timeout (gateway.server.read-timeout): the caller stopped sending its body.
                .onErrorMap(failure -> failure instanceof ReadTimeoutException
                                || failure.getClass().getName().equals(REQUEST_TIMEOUT),
                        e -> new GatewayException(ErrorStatus.REQUEST_TIMEOUT, ErrorType.CALLER_INVALID,
                                "The request body did not arrive in time (gateway.server.read-timeout or "
                                        + "request-timeout)."))
                .flatMap(bytes -> {
                    // A large or compressed body takes long enough to check that it must not hold an event loop
                    // (a 20 MB body stalled every connection of its loop, liveness included, for about a second).
                    if (!gzip && bytes.length <= PARSE_INLINE) {
                        return Mono.just(new ReadBody(bytes, wellFormedJson(bytes, false, fields)));
                    }
                    // Through a one-shot holder: a callable that captured the array itself stayed reachable from
                    // the running chain, and kept every large body in memory for as long as its stream ran.
                    AtomicReference<byte[]> once = new AtomicReference<>(bytes);
                    return Mono.fromCallable(() -> {
                        byte[] held = once.getAndSet(null);
                        return new ReadBody(held, wellFormedJson(held, gzip, fields));
                    }).subscribeOn(CHECKS);
                });
    }

    private BodyFacts wellFormedJson(byte[] body, boolean gzip, BodyFields fields) {
        if (body.length == 0) {
            return BodyFacts.NONE;
        }
        try (InputStream in = gzip ? new Bounded(new GZIPInputStream(new ByteArrayInputStream(body)), maxBytes)
                : new ByteArrayInputStream(body);
             JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() == null) {
                return BodyFacts.NONE;
            }
            BodyFacts facts = BodyFacts.NONE;
            if (fields.isEmpty()) {
                parser.skipChildren();
            } else {
                facts = fields.read(parser);
            }
            if (parser.nextToken() != null) {
                throw invalidJson("more than one JSON value");
            }
            return facts;
        } catch (InflatedTooLarge e) {
            throw new GatewayException(ErrorStatus.PAYLOAD_TOO_LARGE, ErrorType.CALLER_INVALID,
                    "Request payload size exceeds the gateway limit of " + limitText + " once inflated.");
        } catch (IOException e) {
            throw invalidJson(gzip ? "the gzip body does not inflate to valid JSON" : "the body is not valid JSON");
        }
    }

    private GatewayException tooLarge() {
        return new GatewayException(ErrorStatus.PAYLOAD_TOO_LARGE, ErrorType.CALLER_INVALID,
                "Request payload size exceeds the gateway limit of " + limitText + ".");
    }

    private static GatewayException invalidJson(String what) {
        return GatewayException.invalidArgument("Invalid JSON payload received: " + what + ".");
    }

    /** An inflating stream cut off at the request size limit: a gzip body of 1 MB can inflate to gigabytes. */
    private static final class Bounded extends FilterInputStream {

        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new InflatedTooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (left -= n) < 0) {
                throw new InflatedTooLarge();
            }
            return n;
        }
    }

    private static final class InflatedTooLarge extends IOException {
        InflatedTooLarge() {
            super("the body inflates past the request size limit", null);
        }
    }
}
