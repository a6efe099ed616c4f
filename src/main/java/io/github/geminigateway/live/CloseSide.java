package io.github.geminigateway.live;

import java.util.Locale;

/** Who ended a Live session: the caller, Google, or the gateway itself (a refusal, a bound, a shutdown). */
enum CloseSide {
    CLIENT,
    UPSTREAM,
    GATEWAY;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
