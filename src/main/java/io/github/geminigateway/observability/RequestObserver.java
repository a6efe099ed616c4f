package io.github.geminigateway.observability;

/**
 * Receives every finished request exactly once and reports it: the access log line now, metrics beside it.
 */
public final class RequestObserver {

    private final AccessLog accessLog = new AccessLog();

    public void completed(RequestRecord record, int status) {
        accessLog.write(record, status);
    }
}
