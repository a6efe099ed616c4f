package io.github.geminigateway.observability;

/**
 * Receives every finished request exactly once and reports it: one access log line, and the request metrics.
 */
public final class RequestObserver {

    private final AccessLog accessLog = new AccessLog();
    private final GatewayMetrics metrics;

    public RequestObserver(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    public void completed(RequestRecord record, int status) {
        accessLog.write(record, status);
        metrics.requestCompleted(record, status);
    }
}
