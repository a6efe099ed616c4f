package io.github.geminigateway.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The day Google's per-day quotas count in: it starts at midnight in America/Los_Angeles, so it is 23 or 25 hours
 * long on the days the clocks change. Working with the zone's dates rather than fixed 24-hour windows keeps the
 * gateway's day in step with Google's across those changes.
 */
final class PacificDay {

    static final ZoneId ZONE = ZoneId.of("America/Los_Angeles");

    private PacificDay() {
    }

    static LocalDate of(Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }

    /** The instant the day that contains {@code instant} ends, which is the next Pacific midnight. */
    static Instant end(Instant instant) {
        return of(instant).plusDays(1).atStartOfDay(ZONE).toInstant();
    }
}
