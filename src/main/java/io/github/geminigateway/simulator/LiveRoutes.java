package io.github.geminigateway.simulator;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The simulator's Live API: a WebSocket on {@code /ws/google.ai.generativelanguage.<v>.GenerativeService.
 * BidiGenerateContent} that answers as Google does, in binary frames holding JSON: {@code setupComplete} to the
 * setup, and to every client turn ({@code clientContent}, or a {@code realtimeInput} text) a model turn of text,
 * then {@code turnComplete} with that turn's {@code usageMetadata}. A first message that is not a setup is closed
 * with 1007, as Google does.
 */
final class LiveRoutes {

    static final Pattern PATH = Pattern.compile(
            "^/+ws/google\\.ai\\.generativelanguage\\.(v1|v1beta|v1alpha)\\.GenerativeService\\.BidiGenerateContent$");
    private static final String REPLY = "Hello from the Gemini simulator, live.";
    private static final int REPLY_TOKENS = 9;

    Publisher<Void> route(HttpServerResponse response) {
        return response.sendWebsocket(this::session);
    }

    private Publisher<Void> session(WebsocketInbound in, WebsocketOutbound out) {
        boolean[] setUp = {false};
        return out.sendObject(in.aggregateFrames(16 * 1024 * 1024).receiveFrames()
                .filter(frame -> frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
                .map(frame -> ByteBufUtil.getBytes(frame.content()))
                .concatMap(message -> {
                    String text = new String(message, StandardCharsets.UTF_8);
                    if (!setUp[0]) {
                        if (!text.contains("\"setup\"")) {
                            return out.sendClose(1007, "Request contains an invalid argument.")
                                    .thenMany(Flux.empty());
                        }
                        setUp[0] = true;
                        return Flux.just(binary("{\"setupComplete\": {}}"));
                    }
                    if (text.contains("\"clientContent\"") || text.contains("\"realtimeInput\"")) {
                        int prompt = Math.max(1, message.length / 4);
                        return Flux.fromIterable(List.of(
                                binary("{\"serverContent\": {\"modelTurn\": {\"role\": \"model\", \"parts\": "
                                        + "[{\"text\": \"" + REPLY + "\"}]}}}"),
                                binary("{\"serverContent\": {\"generationComplete\": true, \"turnComplete\": true}, "
                                        + "\"usageMetadata\": {\"promptTokenCount\": " + prompt
                                        + ", \"responseTokenCount\": " + REPLY_TOKENS + ", \"totalTokenCount\": "
                                        + (prompt + REPLY_TOKENS) + "}}")));
                    }
                    return Flux.empty();
                }));
    }

    private static WebSocketFrame binary(String json) {
        return new BinaryWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    }
}
