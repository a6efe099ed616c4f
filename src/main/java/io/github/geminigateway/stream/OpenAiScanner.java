package io.github.geminigateway.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.StreamDialect.Verdict;
import java.io.IOException;
import java.util.BitSet;
import java.util.Locale;

/**
 * Reads the OpenAI-compatible route's JSON token by token, without building objects: a
 * {@code chat.completion.chunk} of a stream (its choices' {@code index} and {@code finish_reason}, its
 * {@code usage}, or an {@code error}), or a whole unary answer (a chat completion, embeddings, images) for its
 * usage. Usage maps onto the gateway's counts so that what it bills is {@code total_tokens}: prompt is
 * {@code prompt_tokens}, output {@code completion_tokens}, thoughts what the total holds beyond the two (Google
 * counts thinking there), cached {@code prompt_tokens_details.cached_tokens}.
 */
public final class OpenAiScanner {

    private static final JsonFactory JSON = new JsonFactory();
    /** OpenAI's {@code n} is at most 128; an index past this bound is not a choice of a real answer. */
    private static final int MAX_CHOICES = 1024;

    private OpenAiScanner() {
    }

    /**
     * The choices of one stream, as its chunks went: which indices appeared, and which of them have finished. The
     * stream may end once every choice that appeared has a finish_reason.
     */
    static final class Choices {
        private final BitSet seen = new BitSet();
        private final BitSet finished = new BitSet();

        boolean allFinished() {
            return !seen.isEmpty() && seen.equals(finished);
        }
    }

    /** One chunk's JSON (the data of a stream event). */
    static Verdict scanChunk(byte[] bytes, int offset, int length, Choices choices, ResponseFacts facts) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                // Google's error shape on this route: [{"error":{...}}].
                return parser.nextToken() == JsonToken.START_OBJECT && hasError(parser) ? Verdict.ERROR
                        : Verdict.MALFORMED;
            }
            if (first != JsonToken.START_OBJECT) {
                return Verdict.MALFORMED;
            }
            boolean error = false;
            int choiceCount = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "error" -> {
                        error = value != JsonToken.VALUE_NULL;
                        parser.skipChildren();
                    }
                    case "choices" -> {
                        choiceCount = choices(parser, choices, facts);
                        if (choiceCount < 0) {
                            return Verdict.MALFORMED;
                        }
                    }
                    case "usage" -> usage(parser, facts);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return Verdict.MALFORMED;
            }
            if (error) {
                return Verdict.ERROR;
            }
            if (choiceCount == 0) {
                // A chunk without choices (the usage-only last one, "choices": []): it changes nothing.
                return Verdict.PASS;
            }
            return choices.allFinished() ? Verdict.FINAL : Verdict.CHUNK;
        } catch (IOException e) {
            return Verdict.MALFORMED;
        }
    }

    /** A whole unary answer: its usage and finish reasons. A malformed one reports nothing. */
    public static void scanAnswer(byte[] bytes, int offset, int length, ResponseFacts facts) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "usage" -> usage(parser, facts);
                    case "choices" -> choices(parser, new Choices(), facts);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // Nothing reported: the reservation is settled as for an answer without usage.
        }
    }

    /**
     * Reads the choices array; returns how many choices it held, or -1 when it is not an array (nor null), or a
     * choice is not an object or names a wild index.
     */
    private static int choices(JsonParser parser, Choices choices, ResponseFacts facts) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return parser.currentToken() == JsonToken.VALUE_NULL ? 0 : -1;
        }
        boolean wellFormed = true;
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                wellFormed = false;
                continue;
            }
            int index = 0;
            String finishReason = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
                    index = parser.getIntValue();
                } else if (field.equals("finish_reason") && value == JsonToken.VALUE_STRING) {
                    finishReason = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (index < 0 || index >= MAX_CHOICES) {
                wellFormed = false;
                continue;
            }
            count++;
            choices.seen.set(index);
            choices.finished.set(index, finishReason != null);
            if (finishReason != null) {
                facts.finishReason(geminiFinishReason(finishReason));
            }
        }
        return wellFormed ? count : -1;
    }

    private static void usage(JsonParser parser, ResponseFacts facts) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        long prompt = -1;
        long completion = -1;
        long total = -1;
        long cached = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT) {
                switch (field) {
                    case "prompt_tokens" -> prompt = Math.max(0, parser.getLongValue());
                    case "completion_tokens" -> completion = Math.max(0, parser.getLongValue());
                    case "total_tokens" -> total = Math.max(0, parser.getLongValue());
                    default -> { }
                }
            } else if (field.equals("prompt_tokens_details") && value == JsonToken.START_OBJECT) {
                cached = cachedTokens(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (prompt < 0 && completion < 0 && total < 0) {
            // Not a usage this scanner can read (another API's field names): better the estimate than zero.
            return;
        }
        prompt = Math.max(0, prompt);
        completion = Math.max(0, completion);
        long thoughts = Math.max(0, total - prompt - completion);
        facts.usage(new TokenUsage(prompt, completion, thoughts, cached));
    }

    private static long cachedTokens(JsonParser parser) throws IOException {
        long cached = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("cached_tokens") && value == JsonToken.VALUE_NUMBER_INT) {
                cached = parser.getLongValue();
            } else {
                parser.skipChildren();
            }
        }
        return cached;
    }

    private static boolean hasError(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (parser.currentName().equals("error")) {
                return true;
            }
            parser.nextToken();
            parser.skipChildren();
        }
        return false;
    }

    /**
     * The finish reason under Google's name, so that one dashboard panel covers every surface: the compatible route
     * maps Gemini's reasons to OpenAI's, and this maps them back (a tool call is Gemini's STOP).
     */
    private static String geminiFinishReason(String openAi) {
        return switch (openAi) {
            case "stop", "tool_calls", "function_call" -> "STOP";
            case "length" -> "MAX_TOKENS";
            case "content_filter" -> "SAFETY";
            default -> openAi.toUpperCase(Locale.ROOT);
        };
    }
}
