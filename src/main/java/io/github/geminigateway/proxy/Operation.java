package io.github.geminigateway.proxy;

import java.util.Locale;

/** The closed set of operations that metrics and the access log are tagged with. */
public enum Operation {
    GENERATE,
    STREAM,
    COUNT_TOKENS,
    EMBED,
    UPLOAD,
    FILES,
    OTHER;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
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
