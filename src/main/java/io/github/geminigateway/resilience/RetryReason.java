package io.github.geminigateway.resilience;

import java.util.Locale;

/**
 * Why an upstream attempt is worth another one: the closed set of the retry counter's {@code reason} tag, so that
 * its series can exist, at zero, from startup.
 */
public enum RetryReason {
    /** Google rejected the key and another key may serve the call. */
    KEY_REJECTED,
    /** A per-minute 429: back off (or wait out Google's RetryInfo) and try again. */
    QUOTA_MINUTE,
    /** A per-minute 429 with another key, of another project, ready to take the call at once. */
    QUOTA_MINUTE_OTHER_KEY,
    STATUS_408,
    STATUS_500,
    STATUS_502,
    STATUS_503,
    STATUS_504,
    /** No response headers within the first-byte timeout. */
    TIMEOUT,
    /** The connection never opened: Google cannot have seen the request. */
    CONNECT_ERROR,
    /** The connection closed before the response headers. */
    RESET;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The reason for a retryable HTTP status, or null for a status that is not retried as unavailable. */
    static RetryReason ofStatus(int status) {
        return switch (status) {
            case 408 -> STATUS_408;
            case 500 -> STATUS_500;
            case 502 -> STATUS_502;
            case 503 -> STATUS_503;
            case 504 -> STATUS_504;
            default -> null;
        };
    }

    public String tag() {
        return tag;
    }
}
