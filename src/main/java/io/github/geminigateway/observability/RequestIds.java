package io.github.geminigateway.observability;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Chooses a request's correlation id: the caller's {@code X-Request-Id} when it is well-formed, else the trace id of
 * its W3C {@code traceparent}, else a fresh random one. Ill-formed ids are replaced, never echoed, since they end up
 * in logs and headers.
 */
final class RequestIds {

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String ZERO_TRACE = "0".repeat(32);

    private RequestIds() {
    }

    static String resolve(String requestIdHeader, String traceparentHeader) {
        if (requestIdHeader != null && WELL_FORMED.matcher(requestIdHeader).matches()) {
            return requestIdHeader;
        }
        if (traceparentHeader != null) {
            var match = TRACEPARENT.matcher(traceparentHeader.strip());
            if (match.matches() && !match.group(1).equals(ZERO_TRACE)) {
                return match.group(1);
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
