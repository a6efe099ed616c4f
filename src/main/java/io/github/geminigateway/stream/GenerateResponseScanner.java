package io.github.geminigateway.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads one GenerateContentResponse token by token, without building objects, and notes what policies need:
 * {@code usageMetadata}, each candidate's {@code finishReason}, {@code promptFeedback.blockReason}, or a top-level
 * {@code error}. One pass per stream event is cheap enough for every event, and it doubles as the check that the
 * event is well-formed JSON.
 */
public final class GenerateResponseScanner {

    private static final JsonFactory JSON = new JsonFactory();

    /** What a scanned event was. */
    public enum Kind { CHUNK, FINAL_CHUNK, ERROR, MALFORMED }

    private GenerateResponseScanner() {
    }

    public static Kind scan(byte[] bytes, int offset, int length, ResponseFacts facts) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Kind.MALFORMED;
            }
            Kind kind = Kind.CHUNK;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "error" -> {
                        parser.skipChildren();
                        kind = Kind.ERROR;
                    }
                    case "candidates" -> {
                        if (candidates(parser, facts) && kind != Kind.ERROR) {
                            kind = Kind.FINAL_CHUNK;
                        }
                    }
                    case "usageMetadata" -> facts.usage(UsageFields.GENERATE_CONTENT.read(parser));
                    case "promptFeedback" -> {
                        if (blockReason(parser, facts) && kind != Kind.ERROR) {
                            kind = Kind.FINAL_CHUNK;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            return parser.nextToken() == null ? kind : Kind.MALFORMED;
        } catch (IOException e) {
            return Kind.MALFORMED;
        }
    }

    /** Reads the candidates array; true when some candidate carried a finishReason. */
    private static boolean candidates(JsonParser parser, ResponseFacts facts) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return false;
        }
        boolean finished = false;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("finishReason") && parser.currentToken() == JsonToken.VALUE_STRING) {
                    facts.finishReason(parser.getText());
                    finished = true;
                } else {
                    parser.skipChildren();
                }
            }
        }
        return finished;
    }

    private static boolean blockReason(JsonParser parser, ResponseFacts facts) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return false;
        }
        boolean blocked = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("blockReason") && parser.currentToken() == JsonToken.VALUE_STRING) {
                facts.blockReason(parser.getText());
                blocked = true;
            } else {
                parser.skipChildren();
            }
        }
        return blocked;
    }
}
