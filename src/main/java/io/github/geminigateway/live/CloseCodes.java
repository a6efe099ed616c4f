package io.github.geminigateway.live;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * WebSocket close codes (RFC 6455 §7.4) as the Live relay uses them, and the closed set they are tagged with in
 * metrics.
 */
final class CloseCodes {

    static final int GOING_AWAY = 1001;
    /** Received when the peer sent a close frame without a code; never sent. */
    static final int NO_STATUS = 1005;
    /** Stands for a connection lost without a close frame; never sent. */
    static final int ABNORMAL = 1006;
    static final int INVALID_PAYLOAD = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int TRY_AGAIN_LATER = 1013;

    /** A close frame's reason holds at most 123 bytes of UTF-8 (a control frame's 125, less the code). */
    private static final int MAX_REASON_BYTES = 123;

    private static final Set<Integer> TAGGED = Set.of(1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010,
            1011, 1012, 1013, 1014);

    private CloseCodes() {
    }

    /** The code as a metric tag: a standard code as itself, a private one (4000-4999) or anything else as other. */
    static String tag(int code) {
        return TAGGED.contains(code) ? Integer.toString(code) : "other";
    }

    /** Whether a close frame may carry the code: 1005 and 1006 only stand for what happened, and 1015 too. */
    static boolean sendable(int code) {
        return code >= 1000 && code <= 4999 && code != NO_STATUS && code != ABNORMAL && code != 1015;
    }

    /** The reason cut to what a close frame can carry, at a character boundary. */
    static String reason(String text) {
        if (text == null) {
            return "";
        }
        String cut = text;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
