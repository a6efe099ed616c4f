package io.github.geminigateway.resilience;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.upstream.RetryMode;

/**
 * Who calls upstream and how the call may be protected.
 *
 * @param caller      the authenticated client, whose allow-list also bounds the fallback models
 * @param model       the model (or agent) the call names, for its circuit breaker and metrics; null when none
 * @param fallbacks   whether the model's fallbacks may take over: only where the model is in the path, which can
 *                    be rewritten without touching the body
 * @param retry       how far the call may be retried
 * @param requestId   the correlation id, for the errors it may produce
 */
public record UpstreamCall(Caller caller, String model, boolean fallbacks, RetryMode retry, String requestId) {
}
