package io.github.geminigateway.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.geminigateway.limits.TokenUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the gateway needs from Live API messages, without building objects: the model of the client's first
 * message ({@code {"setup":{"model":"models/..."}}}), and the {@code usageMetadata} of the server's messages. Google
 * reports usage per turn (each turn is billed its whole context), so a session's usage is the sum of its messages'.
 */
public final class LiveMessageScanner {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ByteBuf USAGE =
            Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("\"usageMetadata\"", StandardCharsets.US_ASCII));

    private LiveMessageScanner() {
    }

    /**
     * The {@code setup.model} of a client's first message, as sent ({@code models/gemini-live-2.5-flash}); null when
     * the message is not a JSON object with a setup holding a model string.
     */
    public static String setupModel(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String model = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("setup") && value == JsonToken.START_OBJECT) {
                    model = modelOf(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return parser.nextToken() == null ? model : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String modelOf(JsonParser parser) throws IOException {
        String model = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("model") && value == JsonToken.VALUE_STRING) {
                model = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return model;
    }

    /**
     * Adds a server message's top-level {@code usageMetadata} to the facts. Messages without the word (audio chunks,
     * most of a session's traffic) are passed over by a byte search, not parsed. The buffer is left as it was.
     */
    public static void addUsage(ByteBuf message, ResponseFacts facts) {
        if (ByteBufUtil.indexOf(USAGE, message) < 0) {
            return;
        }
        try (JsonParser parser = JSON.createParser((InputStream) new ByteBufInputStream(message.duplicate()))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("usageMetadata")) {
                    TokenUsage usage = UsageFields.LIVE.read(parser);
                    if (usage != null) {
                        facts.addUsage(usage);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // Not JSON the gateway can read: relayed all the same, and its usage stays unknown.
        }
    }
}
