package io.github.geminigateway.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.StreamDialect.Verdict;
import java.io.IOException;
import java.util.Set;

/**
 * Reads Interactions JSON token by token, without building objects: a stream event ({@code event_type}, an
 * {@code error}, the {@code interaction}'s status and usage) or a whole Interaction resource (a unary create's
 * answer). Usage is the resource's {@code usage.total_*} counts.
 */
public final class InteractionScanner {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Statuses after which this HTTP stream ends: the interaction is done, waits for the caller (function results,
     * a continuation) or was stopped. Only {@code in_progress} and {@code queued} mean more events must come.
     */
    private static final Set<String> STREAM_ENDING = Set.of("completed", "failed", "cancelled", "incomplete",
            "requires_action", "requires_continuation", "budget_exceeded");
    private static final Set<String> RUNNING = Set.of("in_progress", "queued");

    private InteractionScanner() {
    }

    /** One stream event's JSON. */
    public static Verdict scanEvent(byte[] bytes, int offset, int length, ResponseFacts facts) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Verdict.MALFORMED;
            }
            String type = null;
            String status = null;
            boolean error = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "event_type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "status" -> status = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "interaction" -> status = firstNonNull(resource(parser, facts), status);
                    case "error" -> {
                        error = true;
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return Verdict.MALFORMED;
            }
            if (error || "error".equals(type)) {
                return Verdict.ERROR;
            }
            // interaction.complete: the older dialect (steps disabled), which a caller still gets by Api-Revision.
            boolean ends = "interaction.completed".equals(type) || "interaction.complete".equals(type)
                    || "interaction.status_update".equals(type) && status != null && STREAM_ENDING.contains(status);
            return ends ? Verdict.FINAL : Verdict.CHUNK;
        } catch (IOException e) {
            return Verdict.MALFORMED;
        }
    }

    /**
     * A whole Interaction resource. An interaction still running (a background create) has no usage yet: the facts
     * then say usage comes later, so its token reservation is kept rather than given back.
     */
    public static void scanResource(byte[] bytes, int offset, int length, ResponseFacts facts) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                String status = resource(parser, facts);
                // Set.of refuses to look up null: an answer without a status must not fail the relay.
                if (facts.usage() == null && status != null && RUNNING.contains(status)) {
                    facts.usageLater();
                }
            }
        } catch (IOException e) {
            // A malformed answer reports nothing: the reservation is settled as an answer without usage.
        }
    }

    /** Reads an Interaction object (the parser on its START_OBJECT) for usage; returns its status. */
    private static String resource(JsonParser parser, ResponseFacts facts) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String status = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("status") && value == JsonToken.VALUE_STRING) {
                status = parser.getText();
            } else if (field.equals("usage")) {
                TokenUsage usage = UsageFields.INTERACTIONS.read(parser);
                if (usage != null) {
                    facts.usage(usage);
                }
            } else {
                parser.skipChildren();
            }
        }
        return status;
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }
}
