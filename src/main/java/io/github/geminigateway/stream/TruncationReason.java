package io.github.geminigateway.stream;

import io.github.geminigateway.error.ErrorStatus;
import java.util.Locale;

/**
 * Why a stream did not end cleanly, with the error the caller gets for it in the stream's last event. A stream ends
 * cleanly only when the upstream closed it normally after an event that carried a finishReason (or a prompt block).
 */
public enum TruncationReason {
    UPSTREAM_RESET(ErrorStatus.UNAVAILABLE, "The upstream Gemini API closed the stream before it finished."),
    UPSTREAM_ERROR(ErrorStatus.INTERNAL, "The upstream Gemini API failed in the middle of the stream."),
    NO_FINISH_REASON(ErrorStatus.UNAVAILABLE,
            "The upstream Gemini API ended the stream without a finishReason: the answer is incomplete."),
    IDLE_TIMEOUT(ErrorStatus.DEADLINE_EXCEEDED, "The upstream Gemini API stopped sending: the stream stalled."),
    TOTAL_TIMEOUT(ErrorStatus.DEADLINE_EXCEEDED, "The stream exceeded the gateway's total time limit."),
    MALFORMED_EVENT(ErrorStatus.BAD_GATEWAY, "The upstream Gemini API sent a malformed stream event.");

    private final ErrorStatus status;
    private final String message;
    private final String tag = name().toLowerCase(Locale.ROOT);

    TruncationReason(ErrorStatus status, String message) {
        this.status = status;
        this.message = message;
    }

    public ErrorStatus status() {
        return status;
    }

    public String message() {
        return message;
    }

    public String tag() {
        return tag;
    }
}
