package io.github.geminigateway.error;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one exception type for failures the gateway answers itself. It carries the HTTP meaning and a message that is
 * safe to show to the caller: it never holds an upstream key, a prompt or an upstream error text.
 */
public class GatewayException extends RuntimeException {

    private final ErrorStatus status;
    private final ErrorType errorType;
    private final transient List<Map<String, Object>> details;
    private final Duration retryAfter;

    public GatewayException(ErrorStatus status, ErrorType errorType, String message) {
        this(status, errorType, message, List.of(), null);
    }

    public GatewayException(ErrorStatus status, ErrorType errorType, String message,
                            List<Map<String, Object>> details, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.details = List.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public static GatewayException invalidArgument(String message) {
        return new GatewayException(ErrorStatus.INVALID_ARGUMENT, ErrorType.CALLER_INVALID, message);
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(ErrorStatus.NOT_FOUND, ErrorType.CALLER_INVALID, message);
    }

    public static GatewayException unauthenticated(String message) {
        return new GatewayException(ErrorStatus.UNAUTHENTICATED, ErrorType.CALLER_AUTH, message);
    }

    public static GatewayException permissionDenied(String message) {
        return new GatewayException(ErrorStatus.PERMISSION_DENIED, ErrorType.CALLER_AUTH, message);
    }

    public ErrorStatus status() {
        return status;
    }

    public ErrorType errorType() {
        return errorType;
    }

    public List<Map<String, Object>> details() {
        return details;
    }

    /** How long the caller should wait before trying again, or null when waiting would not help. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
