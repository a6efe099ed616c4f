package io.github.geminigateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.error.UpstreamError;
import io.github.geminigateway.resilience.UpstreamErrorVerdict.KeyAction;
import io.github.geminigateway.resilience.UpstreamErrorVerdict.Kind;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retry rule for Google's error answers, row by row: what happens to the key, and whether the call retries (as
 * a quota refusal, which the breaker does not count, or as an outage, which it does) or gives the error back.
 */
class UpstreamErrorVerdictTest {

    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);
    private static final List<String> PER_MINUTE = List.of("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
    private static final List<String> PER_DAY = List.of("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
    private static final Duration SOON = Duration.ofSeconds(2);
    private static final Duration LATE = Duration.ofSeconds(50);

    static Stream<Arguments> table() {
        return Stream.of(
                // status, ErrorInfo reason, quota ids, RetryInfo, other key ready -> key action, verdict
                row(400, "API_KEY_INVALID", List.of(), null, true, KeyAction.REJECT,
                        Kind.QUOTA_RETRY, RetryReason.KEY_REJECTED, Duration.ZERO),
                row(400, "API_KEY_INVALID", List.of(), null, false, KeyAction.REJECT, Kind.RELAY, null, null),
                row(403, "SERVICE_DISABLED", List.of(), null, true, KeyAction.REJECT,
                        Kind.QUOTA_RETRY, RetryReason.KEY_REJECTED, Duration.ZERO),
                row(401, "API_KEY_SERVICE_BLOCKED", List.of(), null, false, KeyAction.REJECT, Kind.RELAY, null, null),
                // A bare 401 or 403 blames no key: relayed, the key stays.
                row(403, null, List.of(), null, true, KeyAction.NONE, Kind.RELAY, null, null),
                row(401, null, List.of(), null, true, KeyAction.NONE, Kind.RELAY, null, null),
                row(429, null, PER_DAY, SOON, true, KeyAction.RECORD_DAY_QUOTA, Kind.RELAY, null, null),
                row(429, null, PER_MINUTE, null, false, KeyAction.RECORD_MINUTE_QUOTA,
                        Kind.QUOTA_RETRY, RetryReason.QUOTA_MINUTE, null),
                row(429, null, List.of(), null, true, KeyAction.RECORD_MINUTE_QUOTA,
                        Kind.QUOTA_RETRY, RetryReason.QUOTA_MINUTE, null),
                row(429, null, PER_MINUTE, SOON, true, KeyAction.COOL_DOWN,
                        Kind.QUOTA_RETRY, RetryReason.QUOTA_MINUTE_OTHER_KEY, Duration.ZERO),
                row(429, null, PER_MINUTE, LATE, true, KeyAction.COOL_DOWN,
                        Kind.QUOTA_RETRY, RetryReason.QUOTA_MINUTE_OTHER_KEY, Duration.ZERO),
                row(429, null, PER_MINUTE, SOON, false, KeyAction.COOL_DOWN,
                        Kind.QUOTA_RETRY, RetryReason.QUOTA_MINUTE, SOON),
                row(429, null, PER_MINUTE, MAX_RETRY_DELAY, false, KeyAction.COOL_DOWN,
                        Kind.QUOTA_RETRY, RetryReason.QUOTA_MINUTE, MAX_RETRY_DELAY),
                row(429, null, PER_MINUTE, LATE, false, KeyAction.COOL_DOWN, Kind.RELAY, null, null),
                row(408, null, List.of(), null, true, KeyAction.NONE, Kind.UNAVAILABLE, RetryReason.STATUS_408, null),
                row(500, null, List.of(), null, true, KeyAction.NONE, Kind.UNAVAILABLE, RetryReason.STATUS_500, null),
                row(502, null, List.of(), null, true, KeyAction.NONE, Kind.UNAVAILABLE, RetryReason.STATUS_502, null),
                row(503, null, List.of(), null, false, KeyAction.NONE, Kind.UNAVAILABLE, RetryReason.STATUS_503,
                        null),
                row(504, null, List.of(), null, true, KeyAction.NONE, Kind.UNAVAILABLE, RetryReason.STATUS_504, null),
                row(501, null, List.of(), null, true, KeyAction.NONE, Kind.RELAY, null, null),
                row(400, null, List.of(), null, true, KeyAction.NONE, Kind.RELAY, null, null),
                row(404, null, List.of(), null, true, KeyAction.NONE, Kind.RELAY, null, null));
    }

    @ParameterizedTest(name = "{0} {1} {2} RetryInfo={3} otherKeyReady={4}: {5}, {6} {7}")
    @MethodSource("table")
    void errorAnswerVerdict(int status, String reason, List<String> quotaIds, Duration retryDelay,
                            boolean otherKeyReady, KeyAction keyAction, Kind kind, RetryReason retryReason,
                            Duration delay) {
        UpstreamError error = new UpstreamError(status, reason, quotaIds, retryDelay, new byte[0]);

        assertThat(UpstreamErrorVerdict.keyAction(error)).isEqualTo(keyAction);
        assertThat(UpstreamErrorVerdict.of(error, otherKeyReady, MAX_RETRY_DELAY))
                .isEqualTo(new UpstreamErrorVerdict(kind, retryReason, delay));
    }

    private static Arguments row(int status, String reason, List<String> quotaIds, Duration retryDelay,
                                 boolean otherKeyReady, KeyAction keyAction, Kind kind, RetryReason retryReason,
                                 Duration delay) {
        return Arguments.of(status, reason, quotaIds, retryDelay, otherKeyReady, keyAction, kind, retryReason, delay);
    }
}
