package io.github.geminigateway.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
                .filter(parameter -> !parameter.isEmpty() && !isKey(parameter))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? rawPath : rawPath + "?" + kept;
    }

    /** Compares the decoded name, since Google decodes {@code %6Bey} to {@code key} and would take it as a key. */
    private static boolean isKey(String parameter) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8).strip().equalsIgnoreCase("key");
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }
}
