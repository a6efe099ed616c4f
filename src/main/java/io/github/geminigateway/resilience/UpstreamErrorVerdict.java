package io.github.geminigateway.resilience;

import io.github.geminigateway.error.UpstreamError;
import java.time.Duration;

/**
 * What an error answer from Google means, as a table with no state of its own: what the key that got it must go
 * through ({@link KeyAction}), and then whether the call gives Google's error back or tries again. The one input that
 * is not in the error is whether another key is ready for the model once the key action is done.
 *
 * @param kind   relay the error, or retry as a quota refusal (not counted by the breaker) or as an outage (counted)
 * @param reason why it is retried; null when it is relayed
 * @param delay  the wait before the retry: Google's RetryInfo, zero for another key, null for the backoff
 */
record UpstreamErrorVerdict(Kind kind, RetryReason reason, Duration delay) {

    enum Kind { RELAY, QUOTA_RETRY, UNAVAILABLE }

    /** What happens to the key that got the error, before the verdict. */
    enum KeyAction {
        /** Google refused the key itself: it leaves the rotation. */
        REJECT,
        /** A per-day quota is out: recorded for the diagnostics, nothing to wait for today. */
        RECORD_DAY_QUOTA,
        /** A per-minute 429 without RetryInfo: recorded, but nothing says how long to bench the key for. */
        RECORD_MINUTE_QUOTA,
        /** A per-minute 429 with RetryInfo: the key's project cools down for the model for that long. */
        COOL_DOWN,
        NONE
    }

    private static final UpstreamErrorVerdict RELAY = new UpstreamErrorVerdict(Kind.RELAY, null, null);

    static KeyAction keyAction(UpstreamError error) {
        if (error.invalidKey()) {
            return KeyAction.REJECT;
        }
        if (error.httpStatus() != 429) {
            return KeyAction.NONE;
        }
        if (error.perDayQuota()) {
            return KeyAction.RECORD_DAY_QUOTA;
        }
        return error.retryDelay() == null ? KeyAction.RECORD_MINUTE_QUOTA : KeyAction.COOL_DOWN;
    }

    /**
     * @param otherKeyReady whether another key can serve the model once {@link #keyAction} is done
     * @param maxRetryDelay the longest RetryInfo delay the gateway waits out itself
     */
    static UpstreamErrorVerdict of(UpstreamError error, boolean otherKeyReady, Duration maxRetryDelay) {
        return switch (keyAction(error)) {
            case REJECT -> otherKeyReady ? quotaRetry(RetryReason.KEY_REJECTED, Duration.ZERO) : RELAY;
            case RECORD_DAY_QUOTA -> RELAY;
            case RECORD_MINUTE_QUOTA -> quotaRetry(RetryReason.QUOTA_MINUTE, null);
            case COOL_DOWN -> otherKeyReady ? quotaRetry(RetryReason.QUOTA_MINUTE_OTHER_KEY, Duration.ZERO)
                    : error.retryDelay().compareTo(maxRetryDelay) > 0 ? RELAY
                    : quotaRetry(RetryReason.QUOTA_MINUTE, error.retryDelay());
            case NONE -> {
                RetryReason unavailable = RetryReason.ofStatus(error.httpStatus());
                yield unavailable == null ? RELAY : new UpstreamErrorVerdict(Kind.UNAVAILABLE, unavailable, null);
            }
        };
    }

    private static UpstreamErrorVerdict quotaRetry(RetryReason reason, Duration delay) {
        return new UpstreamErrorVerdict(Kind.QUOTA_RETRY, reason, delay);
    }
}
