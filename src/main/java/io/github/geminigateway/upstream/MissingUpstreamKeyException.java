package io.github.geminigateway.upstream;

/** Startup cannot go on: the gateway holds no upstream key and is not running the built-in simulator. */
public class MissingUpstreamKeyException extends IllegalStateException {

    public MissingUpstreamKeyException() {
        super("No upstream Gemini API key is configured");
    }
}
