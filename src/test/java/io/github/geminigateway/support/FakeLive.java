package io.github.geminigateway.support;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A stand-in for Google's Live API endpoint that a test drives frame by frame: each upgrade becomes a {@link Session}
 * the test takes with {@link #nextSession}, sees every frame of (pings included, as frames), and sends to or closes
 * at will. It answers nothing by itself.
 */
public final class FakeLive implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final DisposableServer server;

    private FakeLive() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    Session session = new Session(request.uri(), request.requestHeaders().copy());
                    return response.sendWebsocket(session::run,
                            WebsocketServerSpec.builder().handlePing(true).maxFramePayloadLength(16 << 20).build());
                })
                .bindNow();
    }

    public static FakeLive start() {
        return new FakeLive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The next session the gateway opened, waiting for it up to 10 s. */
    public Session nextSession() throws InterruptedException {
        Session session = sessions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (session == null) {
            throw new AssertionError("no Live session reached the fake upstream");
        }
        return session;
    }

    /** How many sessions were upgraded so far. */
    public int sessionsOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    /** One frame as received: its kind (text, binary, ping, pong) and its bytes. */
    public record Frame(String kind, byte[] bytes) {

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** One upgraded session, seen from Google's side. */
    public final class Session {

        private final String uri;
        private final HttpHeaders headers;
        private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        private final Sinks.Many<WebSocketFrame> outgoing = Sinks.many().unicast().onBackpressureBuffer();
        private final CompletableFuture<WebSocketCloseStatus> closeReceived = new CompletableFuture<>();
        private volatile WebsocketOutbound out;

        private Session(String uri, HttpHeaders headers) {
            this.uri = uri;
            this.headers = headers;
        }

        private Mono<Void> run(WebsocketInbound in, WebsocketOutbound out) {
            this.out = out;
            opened.incrementAndGet();
            sessions.add(this);
            in.receiveCloseStatus().subscribe(closeReceived::complete, closeReceived::completeExceptionally,
                    () -> closeReceived.complete(null));
            Mono<Void> inbound = in.receiveFrames()
                    .doOnNext(frame -> {
                        byte[] bytes = ByteBufUtil.getBytes(frame.content());
                        received.add(new Frame(kind(frame), bytes));
                        if (frame instanceof PingWebSocketFrame) {
                            // As Google's endpoint does: a ping is answered with its payload.
                            send(new PongWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
                        }
                    })
                    .then();
            return Mono.when(inbound, out.sendObject(outgoing.asFlux()).then());
        }

        private static String kind(WebSocketFrame frame) {
            return frame instanceof TextWebSocketFrame ? "text" : frame instanceof BinaryWebSocketFrame ? "binary"
                    : frame instanceof PingWebSocketFrame ? "ping" : frame instanceof PongWebSocketFrame ? "pong"
                    : frame.getClass().getSimpleName();
        }

        /** The request line's path and query, as the gateway sent them. */
        public String uri() {
            return uri;
        }

        public HttpHeaders headers() {
            return headers;
        }

        /** The next frame the gateway relayed, waiting up to 10 s. */
        public Frame nextFrame() throws InterruptedException {
            Frame frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame reached the fake upstream");
            }
            return frame;
        }

        public void sendText(String text) {
            send(new TextWebSocketFrame(text));
        }

        public void sendBinary(byte[] bytes) {
            send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        }

        public void sendPing(byte[] bytes) {
            send(new PingWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        }

        private void send(WebSocketFrame frame) {
            Sinks.EmitResult result = outgoing.tryEmitNext(frame);
            if (result.isFailure()) {
                throw new AssertionError("cannot send on the fake's session: " + result);
            }
        }

        /** Closes from Google's side with this code and reason. */
        public void close(int code, String reason) {
            out.sendClose(code, reason).subscribe();
        }

        /** Drops the TCP connection without a close frame, as a lost connection would. */
        public void drop() {
            out.withConnection(connection -> connection.channel().close());
        }

        /** The close the gateway sent (null: the connection ended without one), waiting up to 10 s. */
        public WebSocketCloseStatus closeReceived() throws Exception {
            return closeReceived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
