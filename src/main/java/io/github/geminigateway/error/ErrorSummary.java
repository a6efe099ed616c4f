package io.github.geminigateway.error;

/**
 * An upstream error cut down to what another error shape needs: a status-like code ({@code UNAVAILABLE}) and the
 * message, keys already redacted. Either may be null when the error did not carry it.
 */
public record ErrorSummary(String code, String message) {
}
