package io.github.geminigateway.limits.store;

/**
 * The limit store did not answer in time or at all. It never reaches a caller: the limiter turns it into the
 * configured failure mode, so it carries no HTTP meaning of its own.
 */
public final class StoreUnavailableException extends RuntimeException {

    StoreUnavailableException(Throwable cause) {
        super("limit store unavailable: " + cause, cause, false, false);
    }
}
