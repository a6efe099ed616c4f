package io.github.geminigateway.error;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the gateway needs to know about an upstream error reply, read from its google.rpc.Status body: enough to
 * decide whether to retry, how long to wait, and how to classify it. Never holds the upstream message itself.
 *
 * @param httpStatus the HTTP status Google answered with
 * @param reason     the ErrorInfo reason, for example API_KEY_INVALID, or null
 * @param quotaIds   the quotaId of each QuotaFailure violation
 * @param retryDelay RetryInfo.retryDelay, or null
 * @param body       the sanitized body to relay: DebugInfo removed, upstream keys redacted, request id added
 */
public record UpstreamError(int httpStatus, String reason, List<String> quotaIds, Duration retryDelay, byte[] body) {

    private static final Set<String> KEY_LEVEL_403_REASONS = Set.of("SERVICE_DISABLED",
            "CONSUMER_SUSPENDED", "CONSUMER_INVALID", "ACCESS_TOKEN_TYPE_UNSUPPORTED");

    public boolean perDayQuota() {
        return quotaIds.stream().anyMatch(id -> id.contains("PerDay"));
    }

    /**
     * Whether Google refused the key itself, not the request: 400 {@code API_KEY_INVALID}, or a 401 or 403 whose
     * ErrorInfo blames the key or its project. A bare 401 or 403 is not enough: a 403 can be about a resource (a file
     * that may not exist), a 401 about a credential the caller slipped in, and taking the key out for either would let
     * one caller stop everyone's traffic.
     */
    public boolean invalidKey() {
        return "API_KEY_INVALID".equals(reason)
                || (httpStatus == 401 || httpStatus == 403) && reason != null && (reason.startsWith("API_KEY_")
                || KEY_LEVEL_403_REASONS.contains(reason));
    }

    public ErrorType errorType() {
        if (invalidKey() || httpStatus == 401) {
            return ErrorType.UPSTREAM_AUTH;
        }
        if (httpStatus == 429) {
            return perDayQuota() ? ErrorType.UPSTREAM_QUOTA_DAY : ErrorType.UPSTREAM_QUOTA_MINUTE;
        }
        if (httpStatus == 504 || httpStatus == 408) {
            return ErrorType.UPSTREAM_TIMEOUT;
        }
        if (httpStatus >= 500) {
            return ErrorType.UPSTREAM_UNAVAILABLE;
        }
        return ErrorType.CALLER_INVALID;
    }
}
