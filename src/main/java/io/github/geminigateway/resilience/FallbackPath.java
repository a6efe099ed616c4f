package io.github.geminigateway.resilience;

import io.github.geminigateway.upstream.UpstreamRequest;

/** The same request for a fallback model: only the model segment of the path changes. */
final class FallbackPath {

    private FallbackPath() {
    }

    static UpstreamRequest rewrite(UpstreamRequest request, String primary, String fallback) {
        String target = request.pathAndQuery().replace("/models/" + primary + ":", "/models/" + fallback + ":");
        return request.to(target);
    }
}
