package io.github.geminigateway.resilience;

import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.UpstreamError;
import java.time.Duration;

/**
 * An upstream attempt that failed in a way worth another attempt. It carries what the caller gets if no retry is
 * left: Google's own (sanitized) error, or a gateway error for a transport failure. The two subclasses tell the
 * circuit breaker apart: an unavailable upstream counts against the model's breaker, a quota refusal does not.
 */
public abstract sealed class UpstreamFailure extends RuntimeException
        permits UpstreamFailure.Unavailable, UpstreamFailure.QuotaRetry {

    private final transient UpstreamError upstreamError;
    private final GatewayException gatewayError;
    private final Duration delay;
    private final RetryReason reason;
    private final String model;

    UpstreamFailure(String model, RetryReason reason, UpstreamError upstreamError, GatewayException gatewayError,
                    Duration delay) {
        super(reason.tag(), null, false, false);
        this.model = model;
        this.reason = reason;
        this.upstreamError = upstreamError;
        this.gatewayError = gatewayError;
        this.delay = delay;
    }

    /** Google's error to relay when retries run out, or null for a transport failure. */
    public UpstreamError upstreamError() {
        return upstreamError;
    }

    /** The gateway's error to answer when retries run out and Google sent none. */
    public GatewayException gatewayError() {
        return gatewayError;
    }

    /** The wait Google asked for, or null to use the exponential backoff. */
    public Duration delay() {
        return delay;
    }

    /** The model the attempt was for. */
    public String model() {
        return model;
    }

    /** Why the attempt is retried. */
    public RetryReason reason() {
        return reason;
    }

    /** 5xx, 408, timeouts, connect errors and resets: the upstream is not serving. */
    public static final class Unavailable extends UpstreamFailure {
        public Unavailable(String model, RetryReason reason, UpstreamError upstreamError, GatewayException gatewayError) {
            super(model, reason, upstreamError, gatewayError, null);
        }
    }

    /** A per-minute 429 or a rejected key that another attempt (later, or with another key) can get past. */
    public static final class QuotaRetry extends UpstreamFailure {
        public QuotaRetry(String model, RetryReason reason, UpstreamError upstreamError, Duration delay) {
            super(model, reason, upstreamError, null, delay);
        }
    }
}
