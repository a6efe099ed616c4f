package io.github.geminigateway.error;

import java.util.Locale;

/**
 * The closed taxonomy of request outcomes that metrics and logs are tagged with. It says whose fault a failure was
 * (the caller's, Google's, or ours) without ever carrying an upstream message.
 */
public enum ErrorType {
    NONE,
    CALLER_AUTH,
    CALLER_INVALID,
    CALLER_LIMITED,
    UPSTREAM_AUTH,
    UPSTREAM_QUOTA_MINUTE,
    UPSTREAM_QUOTA_DAY,
    UPSTREAM_UNAVAILABLE,
    UPSTREAM_TIMEOUT,
    STREAM_TRUNCATED,
    /** The gateway refused work to protect itself (request bodies held at once past their cap): retry shortly. */
    GATEWAY_OVERLOADED,
    GATEWAY_INTERNAL;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The lower-case form used as a metric tag and log field. */
    public String tag() {
        return tag;
    }
}
