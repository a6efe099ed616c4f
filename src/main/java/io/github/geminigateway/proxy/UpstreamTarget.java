package io.github.geminigateway.proxy;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The path and query to request upstream, built from the caller's raw path and query with the caller's credential
 * ({@code key=}) taken out. Everything else in the query is kept byte for byte, {@code alt=sse} included.
 */
final class UpstreamTarget {

    private UpstreamTarget() {
    }

    static String of(String rawPath, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return rawPath;
        }
        String kept = Arrays.stream(rawQuery.split("&"))
                .filter(parameter -> !parameter.isEmpty() && !parameter.equals("key") && !parameter.startsWith("key="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? rawPath : rawPath + "?" + kept;
    }
}
