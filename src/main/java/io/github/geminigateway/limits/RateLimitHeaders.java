package io.github.geminigateway.limits;

import io.github.geminigateway.limits.store.Acquisition;
import io.github.geminigateway.limits.store.Charge;
import java.util.List;
import java.util.Map;

/**
 * The {@code X-RateLimit-*} headers of an admitted request, for its tightest limit: the one with the smallest share
 * left, so a client watching the headers sees the limit it will hit first. Remaining is what is left after this
 * request; Reset is the seconds until that limit is full again. Stream slots are left out: they come back when a
 * stream ends, not with time.
 */
final class RateLimitHeaders {

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";

    private RateLimitHeaders() {
    }

    static Map<String, String> of(List<Quota> quotas, Acquisition acquisition, long nowMillis) {
        int tightest = -1;
        double share = Double.MAX_VALUE;
        for (int i = 0; i < quotas.size(); i++) {
            Charge charge = quotas.get(i).charge();
            double left = acquisition.level(i) / charge.capacity();
            if (charge.kind() != Charge.Kind.SLOT && left < share) {
                tightest = i;
                share = left;
            }
        }
        if (tightest < 0) {
            return Map.of();
        }
        Quota quota = quotas.get(tightest);
        double level = acquisition.level(tightest);
        long resetSeconds = (quota.resetMillis(level, nowMillis) + 999) / 1000;
        return Map.of(LIMIT, Long.toString(quota.charge().capacity()),
                REMAINING, Long.toString(Math.max(0, (long) Math.floor(level))),
                RESET, Long.toString(resetSeconds));
    }
}
