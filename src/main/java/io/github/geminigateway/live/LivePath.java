package io.github.geminigateway.live;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Live API's WebSocket paths: {@code /ws/google.ai.generativelanguage.<version>.GenerativeService.<method>}.
 * The Python and JS SDKs join the base URL's trailing slash with {@code /ws/}, so {@code //ws/} is taken too; the
 * upstream path is always the canonical one.
 *
 * @param version v1, v1beta or v1alpha (the Java SDK says v1 unless told otherwise)
 * @param method  BidiGenerateContent, or BidiGenerateContentConstrained (the ephemeral-token method)
 */
record LivePath(String version, String method) {

    private static final Pattern PATH = Pattern.compile(
            "^/+ws/google\\.ai\\.generativelanguage\\.(v1|v1beta|v1alpha)\\.GenerativeService\\."
                    + "(BidiGenerateContent|BidiGenerateContentConstrained)$");

    /** Whether the raw path is on the Live API at all: anything under {@code /ws/}, right or wrong. */
    static boolean isLive(String rawPath) {
        return rawPath.startsWith("/ws/") || rawPath.startsWith("//ws/");
    }

    /** The path taken apart, or null when it is not one of the Live API's. */
    static LivePath parse(String rawPath) {
        Matcher matcher = PATH.matcher(rawPath);
        return matcher.matches() ? new LivePath(matcher.group(1), matcher.group(2)) : null;
    }

    String upstreamPath() {
        return "/ws/google.ai.generativelanguage." + version + ".GenerativeService." + method;
    }
}
