package io.github.geminigateway.error;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A {@code google.rpc.RetryInfo} error detail, the form in which Google and the SDKs carry a retry delay. */
public final class RetryInfoDetail {

    private RetryInfoDetail() {
    }

    public static Map<String, Object> of(Duration delay) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
        detail.put("retryDelay", String.format(Locale.ROOT, "%.3fs", delay.toMillis() / 1000.0));
        return detail;
    }
}
