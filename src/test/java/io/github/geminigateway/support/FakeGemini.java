package io.github.geminigateway.support;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A scripted Gemini upstream on a real socket at port 0. Tests queue the replies it gives, in order, and read back
 * every request it received (method, URI, headers, body) to prove what the gateway sent or did not send.
 */
public final class FakeGemini implements AutoCloseable {

    public static final String GENERATE_JSON = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello\"}],"
            + "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 3,"
            + "\"candidatesTokenCount\": 1,\"totalTokenCount\": 4},\"modelVersion\": \"gemini-2.5-flash\","
            + "\"responseId\": \"fake-1\"}";

    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> arrivals = new LinkedBlockingQueue<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Connection> closed = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    private final String scheme;

    private FakeGemini(KeyManagerFactory tls) {
        HttpServer plain = HttpServer.create().host("127.0.0.1").port(0);
        this.scheme = tls == null ? "http" : "https";
        // Plain: HTTP/1.1, and prior-knowledge h2c for gateways set to talk HTTP/2 upstream. TLS: h2 or HTTP/1.1 by
        // ALPN, as Google's front ends offer.
        this.server = (tls == null ? plain.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                        : plain.protocol(HttpProtocol.HTTP11, HttpProtocol.H2)
                                .secure(spec -> spec.sslContext(Http2SslContextSpec.forServer(tls))))
                .doOnConnection(connection -> {
                    connections.add(connection);
                    connection.onDispose(() -> closed.add(connection));
                })
                .handle((request, response) -> request.receive().aggregate().asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            RecordedRequest recorded = new RecordedRequest(request.method().name(), request.uri(),
                                    request.requestHeaders().copy(), body, request.version().text());
                            requests.add(recorded);
                            arrivals.add(recorded);
                            Reply reply = replies.poll();
                            return Mono.from((reply == null ? Reply.json(200, GENERATE_JSON) : reply)
                                    .answer(recorded, response));
                        }))
                .bindNow();
    }

    public static FakeGemini start() {
        return new FakeGemini(null);
    }

    /** Over TLS, with the certificate of the given key material (see {@link TestTls}). */
    public static FakeGemini startTls(KeyManagerFactory certificate) {
        return new FakeGemini(certificate);
    }

    public String baseUrl() {
        return scheme + "://127.0.0.1:" + server.port();
    }

    public FakeGemini enqueue(Reply... scripted) {
        replies.addAll(List.of(scripted));
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits for the next request to arrive; null if none came in time. */
    public RecordedRequest awaitRequest(Duration timeout) throws InterruptedException {
        return arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets replies still queued and requests not yet awaited, so one test's leftovers cannot leak into the next. */
    public void forgetPending() {
        replies.clear();
        arrivals.clear();
    }

    /** How many upstream connections the gateway opened, and how many of them are closed by now. */
    public int connectionsOpened() {
        return connections.size();
    }

    public int connectionsClosed() {
        return closed.size();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    /** A request as the fake received it; protocol is "HTTP/1.1" or, over HTTP/2, "HTTP/2.0". */
    public record RecordedRequest(String method, String uri, HttpHeaders headers, byte[] body, String protocol) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One scripted answer. */
    @FunctionalInterface
    public interface Reply {

        Publisher<Void> answer(RecordedRequest request, HttpServerResponse response);

        static Reply json(int status, String body) {
            return (request, response) -> response.status(status)
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .sendString(Mono.just(body), StandardCharsets.UTF_8);
        }

        /**
         * A server-sent-event stream whose raw chunks (already framed) come from the given publisher. Like Google, it
         * sends the status and headers at once, before the first event exists.
         */
        static Reply sse(Publisher<String> rawChunks) {
            return (request, response) -> response.status(200).header("Content-Type", "text/event-stream")
                    .sendHeaders()
                    .sendString(Flux.from(rawChunks), StandardCharsets.UTF_8);
        }

        /** Standard SSE events, each framed as {@code data: <json>\r\n\r\n}. */
        static Reply events(String... json) {
            return sse(Flux.fromArray(json).map(event -> "data: " + event + "\r\n\r\n"));
        }

        /**
         * Sends the given chunks, then drops the connection without ending the response properly. The chunks are
         * hidden behind a plain Flux so that even a single one goes out chunked: Reactor Netty gives a scalar body a
         * Content-Length, and the "reset" would then come after a complete response.
         */
        static Reply sseThenReset(String... rawChunks) {
            return thenReset("text/event-stream", rawChunks);
        }

        /** A unary JSON answer that starts (status, headers, the given chunks) and then loses its connection. */
        static Reply jsonThenReset(String... rawChunks) {
            return thenReset("application/json; charset=UTF-8", rawChunks);
        }

        private static Reply thenReset(String contentType, String... rawChunks) {
            return (request, response) -> response.status(200).header("Content-Type", contentType)
                    .sendString(Flux.fromArray(rawChunks).hide(), StandardCharsets.UTF_8)
                    .then()
                    .then(Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close())))
                    .then(Mono.never());
        }

        /** Closes the connection without answering at all. */
        static Reply reset() {
            return (request, response) -> {
                response.withConnection(c -> c.channel().close());
                return Mono.never();
            };
        }

        /** Never answers; the gateway's timeout has to end the wait. */
        static Reply silence() {
            return (request, response) -> Mono.never();
        }

        /** Answers with the given reply after a delay. */
        static Reply delayed(Duration delay, Reply then) {
            return (request, response) -> Mono.delay(delay).then(Mono.from(then.answer(request, response)));
        }
    }
}
