package io.github.geminigateway.limits;

/**
 * Token counts of one answer, from its (last) {@code usageMetadata}.
 *
 * @param prompt   promptTokenCount, cached tokens included
 * @param output   candidatesTokenCount
 * @param thoughts thoughtsTokenCount
 * @param cached   cachedContentTokenCount
 */
public record TokenUsage(long prompt, long output, long thoughts, long cached) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

    /** What a client's tokens-per-minute limit counts: prompt, output and thinking tokens. */
    public long billable() {
        return prompt + output + thoughts;
    }
}
