package io.github.geminigateway.surface;

import java.util.Locale;

/** The closed set of operations that metrics and the access log are tagged with, across every API surface. */
public enum Operation {
    GENERATE,
    STREAM,
    COUNT_TOKENS,
    EMBED,
    UPLOAD,
    FILES,
    /** An Interactions create whose answer is one Interaction resource. */
    INTERACTION,
    /** An Interactions create with {@code "stream": true}: an event stream in the Interactions dialect. */
    INTERACTION_STREAM,
    /** An Interactions get, or a stream resumed with {@code ?stream=true&last_event_id=}. */
    INTERACTION_GET,
    INTERACTION_CANCEL,
    INTERACTION_DELETE,
    /** An OpenAI-compatible chat completion, answered whole. */
    CHAT,
    /** An OpenAI-compatible chat completion with {@code "stream": true}: chunks in OpenAI's stream dialect. */
    CHAT_STREAM,
    /** An OpenAI-compatible image generation. */
    IMAGES,
    /** A Live API session: a WebSocket to BidiGenerateContent, relayed frame by frame. */
    LIVE,
    /** The agent platform resources beside Interactions: agents, environments, triggers, webhooks. */
    AGENTS,
    OTHER;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }

    /**
     * Whether Google bills the operation by the tokens its answer reports: generate calls, interaction creates and
     * chat completions, and Live sessions.
     */
    public boolean billedByUsage() {
        return this == GENERATE || this == STREAM || this == INTERACTION || this == INTERACTION_STREAM
                || this == CHAT || this == CHAT_STREAM || this == LIVE;
    }

    static Operation ofRpcMethod(String method) {
        if (method == null) {
            return OTHER;
        }
        return switch (method) {
            case "generateContent" -> GENERATE;
            case "streamGenerateContent" -> STREAM;
            case "countTokens" -> COUNT_TOKENS;
            case "embedContent", "batchEmbedContents", "asyncBatchEmbedContent" -> EMBED;
            default -> OTHER;
        };
    }
}
