package io.github.geminigateway.limits;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.RetryInfoDetail;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the 429 a limited request gets, shaped like Google's own: RESOURCE_EXHAUSTED with a
 * {@code google.rpc.QuotaFailure} naming every limit that refused, and a {@code google.rpc.RetryInfo} with the
 * longest of their waits, which is also the Retry-After. The SDKs read both to back off by the right amount.
 */
final class QuotaRefusal {

    private QuotaRefusal() {
    }

    /** A refusal by the given limits, each with its wait; the longest wait is what the caller is told. */
    static GatewayException of(List<Refused> refused) {
        Refused primary = primary(refused);
        List<Map<String, Object>> violations = refused.stream().map(each -> violation(each.quota())).toList();
        Quota quota = primary.quota();
        Duration wait = Duration.ofMillis(primary.waitMillis());
        String message = "Gateway limit reached: " + quota.limit().scope() + " '" + quota.owner() + "' is allowed "
                + quota.charge().capacity() + " " + quota.limit().unit() + ". Please retry in "
                + RetryInfoDetail.of(wait).get("retryDelay") + ".";
        return refusal(message, violations, wait);
    }

    /** The refusal with the longest wait: the one that decides when the request can pass. */
    static Refused primary(List<Refused> refused) {
        return refused.stream().max(Comparator.comparingLong(Refused::waitMillis)).orElseThrow();
    }

    /** A refusal because the shared store cannot count, under the closed failure mode. */
    static GatewayException storeUnavailable(Duration wait) {
        Map<String, Object> violation = new LinkedHashMap<>();
        violation.put("subject", "gateway");
        violation.put("description", "The gateway's shared limit store is unreachable, and the gateway is set to "
                + "refuse requests it cannot count rather than risk the fleet's quota.");
        violation.put("quotaId", Limit.STORE_UNAVAILABLE.quotaId());
        return refusal("Gateway limits cannot be checked right now. Please retry in "
                + RetryInfoDetail.of(wait).get("retryDelay") + ".", List.of(violation), wait);
    }

    private static GatewayException refusal(String message, List<Map<String, Object>> violations, Duration wait) {
        Map<String, Object> quotaFailure = new LinkedHashMap<>();
        quotaFailure.put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
        quotaFailure.put("violations", violations);
        return new GatewayException(ErrorStatus.RESOURCE_EXHAUSTED, ErrorType.CALLER_LIMITED, message,
                List.of(quotaFailure, RetryInfoDetail.of(wait)), wait);
    }

    private static Map<String, Object> violation(Quota quota) {
        Map<String, Object> violation = new LinkedHashMap<>();
        violation.put("subject", quota.subject());
        violation.put("description", "Limit of " + quota.charge().capacity() + " " + quota.limit().unit()
                + " for " + quota.limit().scope() + " '" + quota.owner() + "' reached.");
        violation.put("quotaId", quota.limit().quotaId());
        violation.put("quotaDimensions", Map.of(quota.limit().scope(), quota.owner()));
        violation.put("quotaValue", Long.toString(quota.charge().capacity()));
        return violation;
    }

    /** A limit that refused a request, and how long until it would not. */
    record Refused(Quota quota, long waitMillis) {
    }
}
