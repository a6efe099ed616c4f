package io.github.geminigateway.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.geminigateway.limits.TokenUsage;
import java.io.IOException;

/**
 * Where a surface's usage object keeps its four counts: generateContent's {@code usageMetadata}
 * ({@code promptTokenCount}...), Interactions' {@code usage} ({@code total_input_tokens}...) and the Live API's
 * {@code usageMetadata} ({@code responseTokenCount}).
 */
record UsageFields(String prompt, String output, String thoughts, String cached) {

    static final UsageFields GENERATE_CONTENT = new UsageFields("promptTokenCount", "candidatesTokenCount",
            "thoughtsTokenCount", "cachedContentTokenCount");
    static final UsageFields INTERACTIONS = new UsageFields("total_input_tokens", "total_output_tokens",
            "total_thought_tokens", "total_cached_tokens");
    /** A Live API server message's {@code usageMetadata}: output is {@code responseTokenCount}. */
    static final UsageFields LIVE = new UsageFields("promptTokenCount", "responseTokenCount",
            "thoughtsTokenCount", "cachedContentTokenCount");

    /** Reads the usage object the parser is on; null (and the value skipped) when it is not an object. */
    TokenUsage read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        long[] counts = new long[4];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (!parser.currentToken().isNumeric()) {
                parser.skipChildren();
                continue;
            }
            int index = field.equals(prompt) ? 0 : field.equals(output) ? 1 : field.equals(thoughts) ? 2
                    : field.equals(cached) ? 3 : -1;
            if (index >= 0) {
                counts[index] = parser.getLongValue();
            }
        }
        return new TokenUsage(counts[0], counts[1], counts[2], counts[3]);
    }
}
