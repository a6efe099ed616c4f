package io.github.geminigateway.observability;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code gateway.access} logger. It names who called what and how it went, and nothing
 * that a caller sent as content: no keys, no prompt text, no raw path beyond the model id.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("gateway.access");

    void write(RequestRecord record, int status) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long ttfb = record.timeToFirstByteNanos();
        log.info(String.format(Locale.ROOT,
                "method=%s model=%s operation=%s status=%d upstream_status=%s error_type=%s latency_ms=%.1f "
                        + "ttfb_ms=%s bytes_in=%d bytes_out=%d sdk=%s",
                record.method(), record.model() == null ? "-" : record.model(), record.operation().tag(), status,
                record.upstreamStatus() == 0 ? "-" : Integer.toString(record.upstreamStatus()),
                record.errorType().tag(), record.elapsedNanos() / 1e6,
                ttfb < 0 ? "-" : String.format(Locale.ROOT, "%.1f", ttfb / 1e6),
                record.bytesIn(), record.bytesOut(), record.sdk())
                + (record.closeCode() == 0 ? "" : " close_code=" + record.closeCode() + " closed_by="
                + record.closedBy()));
    }
}
