package io.github.geminigateway.resilience;

import io.github.geminigateway.error.UpstreamError;
import io.github.geminigateway.upstream.UpstreamResponse;

/**
 * How the upstream answered in the end: a response to relay (body unread), or Google's error, already read and
 * sanitized. {@code model} is the model that answered, which differs from the requested one after a fallback.
 */
public record UpstreamOutcome(UpstreamResponse response, UpstreamError error, String model) {

    static UpstreamOutcome success(UpstreamResponse response, String model) {
        return new UpstreamOutcome(response, null, model);
    }

    static UpstreamOutcome failure(UpstreamError error, String model) {
        return new UpstreamOutcome(null, error, model);
    }

    public boolean succeeded() {
        return response != null;
    }
}
