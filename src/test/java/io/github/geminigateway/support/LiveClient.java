package io.github.geminigateway.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Live API caller over the JDK's WebSocket client: it connects to the gateway with a key header, sends text,
 * binary and pings, and collects whole messages (text, binary, pong) and the close it got.
 */
public final class LiveClient implements AutoCloseable {

    public static final String PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<FakeLive.Frame> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private LiveClient(WebSocket.Builder builder, URI uri) {
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    /** Connects with the key in the {@code x-goog-api-key} header (none when null). */
    public static LiveClient connect(String gatewayBaseUrl, String key) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (key != null) {
            builder.header("x-goog-api-key", key);
        }
        return new LiveClient(builder, URI.create(gatewayBaseUrl.replaceFirst("^http", "ws") + PATH));
    }

    /** Connects to any path and query, as given (the key, if any, in it). */
    public static LiveClient connectTo(String gatewayBaseUrl, String pathAndQuery) {
        return new LiveClient(HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT),
                URI.create(gatewayBaseUrl.replaceFirst("^http", "ws") + pathAndQuery));
    }

    public static String setup(String model) {
        return "{\"setup\":{\"model\":\"models/" + model + "\",\"generationConfig\":{\"responseModalities\":[\"TEXT\"]}}}";
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void sendPing(byte[] bytes) {
        socket.sendPing(ByteBuffer.wrap(bytes)).join();
    }

    /** Sends a close with this code and reason; the gateway's answer ends the session. */
    public void close(int code, String reason) {
        socket.sendClose(code, reason).join();
    }

    /** Drops the connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    /** The next whole message (or pong), waiting up to 10 s. */
    public FakeLive.Frame nextMessage() throws InterruptedException {
        FakeLive.Frame frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no message reached the client");
        }
        return frame;
    }

    /** The close the gateway sent, waiting up to 10 s. */
    public Close closed() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** A close received: its code and reason. */
    public record Close(int code, String reason) {
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();
        private ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(new FakeLive.Frame("text", text.toString().getBytes(StandardCharsets.UTF_8)));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(new FakeLive.Frame("binary", binary.toByteArray()));
                binary = new ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            received.add(new FakeLive.Frame("pong", bytes));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
