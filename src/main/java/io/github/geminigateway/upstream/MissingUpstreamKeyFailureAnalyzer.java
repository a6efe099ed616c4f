package io.github.geminigateway.upstream;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing upstream key into the short "what to set" message an operator needs, instead of a stack trace. */
public class MissingUpstreamKeyFailureAnalyzer extends AbstractFailureAnalyzer<MissingUpstreamKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingUpstreamKeyException cause) {
        return new FailureAnalysis(
                "The gateway has no upstream Gemini API key, so it cannot call Google.",
                "Set the GEMINI_API_KEY environment variable, or list keys under gateway.upstream.api-keys. "
                        + "To try the gateway without a key, run it with the demo profile "
                        + "(--spring.profiles.active=demo), which uses the built-in Gemini simulator.",
                cause);
    }
}
