package io.github.geminigateway.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The path and query to request upstream, built from the caller's raw path and query with Google's system parameters
 * that a caller must not set taken out. Everything else in the query is kept byte for byte, {@code alt=sse}
 * included.
 *
 * <p>Google reads system parameters by decoded name, with or without a leading {@code $}. Those that carry a
 * credential ({@code key}, {@code access_token}, {@code oauth_token}) would make Google judge the caller's credential
 * instead of the gateway's, and a bogus one a 401 against the request. The others would change what the gateway
 * governs or reads: {@code $httpMethod} the method, {@code $ct} the body's type, {@code callback} the answer's
 * framing, {@code userProject} the billed project, {@code fields} the answer's content (it can cut out the usage
 * that settles the limits), and any {@code alt} but {@code sse}, {@code json} and {@code media} (proto answers
 * cannot be scanned). {@code model} and {@code agent} go too: the allow-lists judge the model in the path or the
 * body, and a query parameter must not name another.
 */
final class UpstreamTarget {

    private static final Set<String> DROPPED = Set.of("key", "access_token", "oauth_token", "bearer_token",
            "httpmethod", "ct", "callback", "userproject", "fields", "quotauser", "model", "agent");
    private static final Set<String> KEPT_ALT = Set.of("sse", "json", "media");

    private UpstreamTarget() {
    }

    static String of(String rawPath, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return rawPath;
        }
        String kept = Arrays.stream(rawQuery.split("&"))
                .filter(parameter -> !parameter.isEmpty() && !isDropped(parameter))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? rawPath : rawPath + "?" + kept;
    }

    /** Compares the decoded name, since Google decodes {@code %6Bey} to {@code key} and would take it as a key. */
    private static boolean isDropped(String parameter) {
        int equals = parameter.indexOf('=');
        try {
            String name = normalized(equals < 0 ? parameter : parameter.substring(0, equals));
            if (name.equals("alt")) {
                return equals < 0 || !KEPT_ALT.contains(normalized(parameter.substring(equals + 1)));
            }
            return DROPPED.contains(name);
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }

    private static String normalized(String raw) {
        String decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
        return decoded.startsWith("$") ? decoded.substring(1) : decoded;
    }
}
