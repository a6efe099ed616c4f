package io.github.geminigateway.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends one request to Google and hands back the response headers with the body unread. This is the only class that
 * ever writes an upstream key onto the wire, and it writes it only as the {@code x-goog-api-key} header, never into
 * a URL, where proxies and access logs would record it.
 *
 * <p>Its time bounds are Netty read timers on the connection's own event loop, not Reactor timeout operators: those
 * schedule a task on a shared scheduler for every request and every read, which showed in the benchmark's profile.
 *
 * <p>With HTTP/2 on, many calls share one connection as streams: h2 negotiated by ALPN (falling back to HTTP/1.1)
 * over https, prior-knowledge h2c over plain http.
 */
public final class UpstreamClient implements AutoCloseable {

    private static final String API_KEY_HEADER = "x-goog-api-key";
    private static final String FIRST_BYTE_TIMER = "gateway.firstByteTimer";
    private static final String FIRST_BYTE_BOUND = "gateway.firstByteBound";
    private static final AttributeKey<Boolean> WINDOW_OPENED = AttributeKey.valueOf("gateway.connectionWindowOpened");

    private final ConnectionProvider pool;
    private final HttpClient http;
    private final HttpClient websockets;
    private final String baseUrl;
    private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    public UpstreamClient(URI baseUrl, int maxConnections, TimeoutProperties timeouts, boolean http2) {
        this.baseUrl = stripTrailingSlash(baseUrl.toString());
        this.pool = ConnectionProvider.builder("gemini-upstream")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(timeouts.firstByte())
                .maxIdleTime(Duration.ofSeconds(30))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient client = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(timeouts.connect().toMillis()))
                .followRedirect(false)
                .keepAlive(true)
                .doOnRequest((request, connection) -> {
                    // From the moment the request starts (body sending included, so an upstream that stops reading
                    // a large body is bounded too) until the response headers arrive; removed when they do. The
                    // bound is the call's own, passed in the Reactor context: one client serves every surface.
                    Duration firstByte = request.currentContextView().get(FIRST_BYTE_BOUND);
                    connection.addHandlerFirst(FIRST_BYTE_TIMER,
                            new ReadTimeoutHandler(firstByte.toMillis(), TimeUnit.MILLISECONDS));
                    // An HTTP/2 stream's channel has the connection's as parent; an HTTP/1.1 one has none.
                    openConnectionWindow(connection.channel().parent());
                });
        // A Live session holds its connection for minutes: it gets one of its own, outside the pool that the
        // requests share, over HTTP/1.1 (the only version WebSockets are upgraded from).
        HttpClient websocketClient = HttpClient.newConnection()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(timeouts.connect().toMillis()))
                .responseTimeout(timeouts.firstByte());
        this.websockets = "https".equalsIgnoreCase(baseUrl.getScheme()) ? websocketClient.secure() : websocketClient;
        this.http = !http2 ? client : "https".equalsIgnoreCase(baseUrl.getScheme())
                ? client.protocol(HttpProtocol.H2, HttpProtocol.HTTP11).secure()
                : client.protocol(HttpProtocol.H2C);
    }

    /**
     * HTTP/2's connection-wide receive window starts at 64 KiB, the same as one stream's. A caller that stops reading
     * leaves its stream's unread bytes counted against the connection, so one slow caller would stall every other
     * stream on that connection (Http2UpstreamTest shows it). Opening the connection window fully, once per
     * connection, leaves flow control to the per-stream windows: each stream still buffers at most its own 64 KiB.
     */
    private static void openConnectionWindow(Channel http2Connection) {
        if (http2Connection != null && http2Connection.attr(WINDOW_OPENED).setIfAbsent(Boolean.TRUE) == null) {
            http2Connection.writeAndFlush(new DefaultHttp2WindowUpdateFrame(
                    Http2CodecUtil.MAX_INITIAL_WINDOW_SIZE - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
        }
    }

    /**
     * Sends the request with the given key (null sends none, for reachability checks); the Mono completes when the
     * response headers have arrived, or fails with a {@link TimeoutException} when the upstream sends nothing for the
     * first-byte timeout from the start of the request.
     */
    public Mono<UpstreamResponse> exchange(UpstreamRequest request, ApiKey key) {
        Duration firstByte = request.deadlines().firstByte();
        return http.request(HttpMethod.valueOf(request.method().name()))
                .uri(baseUrl + request.pathAndQuery())
                .send((outbound, out) -> {
                    // set, not add: Reactor Netty has already put its own Accept: */* there, and Google must see the
                    // caller's (text/event-stream for an Interactions stream).
                    request.headers().forEach((name, values) -> outbound.requestHeaders().set(name, values));
                    if (key != null) {
                        outbound.requestHeaders().set(API_KEY_HEADER, key.reveal());
                    }
                    return out.send(request.body());
                })
                .responseConnection((response, connection) -> {
                    // Headers are in: from here on the body's idle bound applies, not the first-byte one.
                    connection.removeHandler(FIRST_BYTE_TIMER);
                    return Mono.just(new UpstreamResponse(response, connection, buffers,
                            request.deadlines().idle()));
                })
                .next()
                .onErrorMap(ReadTimeoutException.class, timeout -> new TimeoutException(
                        "no upstream response headers within " + firstByte))
                .contextWrite(context -> context.put(FIRST_BYTE_BOUND, firstByte));
    }

    /**
     * Opens a WebSocket (a Live API session) to the path with the key in the {@code x-goog-api-key} header, and runs
     * the handler on it once Google has accepted the upgrade. The Flux fails with a
     * {@code WebSocketClientHandshakeException} when Google answers the upgrade with an HTTP error.
     */
    public <T> Flux<T> websocket(String path, HttpHeaders headers, ApiKey key, int maxFramePayload,
                                 BiFunction<WebsocketInbound, WebsocketOutbound, Publisher<T>> handler) {
        return websockets
                .headers(outbound -> {
                    headers.forEach((name, values) -> outbound.set(name, values));
                    outbound.set(API_KEY_HEADER, key.reveal());
                })
                .websocket(WebsocketClientSpec.builder().handlePing(true).maxFramePayloadLength(maxFramePayload)
                        .build())
                .uri(baseUrl.replaceFirst("^http", "ws") + path)
                .handle(handler);
    }

    @Override
    public void close() {
        pool.dispose();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
