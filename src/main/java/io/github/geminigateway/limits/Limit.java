package io.github.geminigateway.limits;

import java.util.Locale;

/**
 * The closed set of limits a request can run into. Each has the {@code quotaId} a refusal's QuotaFailure names, in
 * the style of Google's own ids (so code that looks for {@code PerDay} or {@code PerMinute} in them keeps working),
 * and the tag that metrics use.
 */
public enum Limit {
    CLIENT_REQUESTS_PER_MINUTE("client", "GatewayClientRequestsPerMinute", "requests per minute"),
    CLIENT_TOKENS_PER_MINUTE("client", "GatewayClientTokensPerMinute", "tokens per minute"),
    CLIENT_CONCURRENT_STREAMS("client", "GatewayClientConcurrentStreams", "concurrent streams"),
    CLIENT_CONCURRENT_SESSIONS("client", "GatewayClientConcurrentSessions", "concurrent Live API sessions"),
    MODEL_REQUESTS_PER_MINUTE("model", "GatewayModelRequestsPerMinute", "requests per minute"),
    MODEL_INPUT_TOKENS_PER_MINUTE("model", "GatewayModelInputTokensPerMinute", "input tokens per minute"),
    MODEL_REQUESTS_PER_DAY("model", "GatewayModelRequestsPerDay", "requests per day (Pacific time)"),
    STORE_UNAVAILABLE("gateway", "GatewayLimitStoreUnavailable", "reachable limit store");

    private final String scope;
    private final String quotaId;
    private final String unit;
    private final String tag;

    Limit(String scope, String quotaId, String unit) {
        this.scope = scope;
        this.quotaId = quotaId;
        this.unit = unit;
        this.tag = name().toLowerCase(Locale.ROOT);
    }

    /** Whose limit it is: client, model, or the gateway itself. */
    public String scope() {
        return scope;
    }

    public String quotaId() {
        return quotaId;
    }

    /** What the limit counts, for messages: "requests per minute". */
    public String unit() {
        return unit;
    }

    /** The metric tag: the lower-case name. */
    public String tag() {
        return tag;
    }
}
