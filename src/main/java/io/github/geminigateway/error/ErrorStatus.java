package io.github.geminigateway.error;

/**
 * The google.rpc status names the gateway uses for errors it produces itself, each with its one HTTP status. The SDKs
 * raise errors by HTTP code and show the status name, so both must match what Google would send for the same fault.
 */
public enum ErrorStatus {
    INVALID_ARGUMENT(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    REQUEST_TIMEOUT(408),
    PAYLOAD_TOO_LARGE(413),
    RESOURCE_EXHAUSTED(429),
    INTERNAL(500),
    BAD_GATEWAY(502),
    UNAVAILABLE(503),
    DEADLINE_EXCEEDED(504);

    private final int httpStatus;

    ErrorStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The google.rpc name; 405, 408, 413 and 502 have none of their own, so they borrow the closest one. */
    public String rpcName() {
        return switch (this) {
            case METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE -> "INVALID_ARGUMENT";
            case REQUEST_TIMEOUT -> "DEADLINE_EXCEEDED";
            case BAD_GATEWAY -> "UNAVAILABLE";
            default -> name();
        };
    }
}
