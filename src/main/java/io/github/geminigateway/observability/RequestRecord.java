package io.github.geminigateway.observability;

import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.surface.Operation;
import io.github.geminigateway.stream.ResponseFacts;
import io.github.geminigateway.stream.TruncationReason;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * What one request did, filled in as it travels through the gateway and read once when it ends, by the access log
 * and the metrics. Its writes follow the request's reactive chain, whose signals are ordered, so it needs no locks.
 */
public final class RequestRecord {

    static final String ATTRIBUTE = RequestRecord.class.getName();
    private static final Pattern SDK_TOKEN = Pattern.compile("\\b(gl-[a-z]+/[A-Za-z0-9._-]{1,32})");
    private static final Pattern OPENAI_SDK = Pattern.compile("openai-[a-z]{1,16}/[A-Za-z0-9._-]{1,32}");

    private final String requestId;
    private final String method;
    private final String sdk;
    private final long startNanos = System.nanoTime();
    private String clientId = "-";
    private String model;
    private Operation operation = Operation.OTHER;
    private int upstreamStatus;
    private long upstreamHeadersNanos;
    private long bytesIn;
    private long bytesOut;
    private ErrorType errorType = ErrorType.NONE;
    private ResponseFacts facts;
    private TruncationReason truncation;
    private volatile boolean handedOver;
    private int closeCode;
    private String closedBy;

    RequestRecord(String requestId, String method, HttpHeaders headers) {
        this.requestId = requestId;
        this.method = method;
        this.sdk = sdkToken(headers);
    }

    /** The record the correlation filter opened for this exchange. */
    public static RequestRecord of(ServerWebExchange exchange) {
        RequestRecord record = exchange.getAttribute(ATTRIBUTE);
        if (record == null) {
            throw new IllegalStateException("no request record: the correlation filter did not run");
        }
        return record;
    }

    public void route(String model, Operation operation) {
        this.model = model;
        this.operation = operation;
    }

    public void client(String clientId) {
        this.clientId = clientId;
    }

    public void upstreamHeaders(int status) {
        this.upstreamStatus = status;
        this.upstreamHeadersNanos = System.nanoTime();
    }

    public void addBytesIn(long count) {
        bytesIn += count;
    }

    public void addBytesOut(long count) {
        bytesOut += count;
    }

    public void failed(ErrorType type) {
        this.errorType = type;
    }

    public void facts(ResponseFacts facts) {
        this.facts = facts;
    }

    public void truncated(TruncationReason reason) {
        this.truncation = reason;
        this.errorType = ErrorType.STREAM_TRUNCATED;
    }

    /**
     * The exchange has become something longer (a Live API session, upgraded to a WebSocket), whose own end reports
     * the record to the {@link RequestObserver}; the correlation filter, which sees the upgrade end, does not.
     */
    public void handOver() {
        this.handedOver = true;
    }

    boolean handedOver() {
        return handedOver;
    }

    /** A WebSocket session ended with this close code, closed by client, upstream or gateway. */
    public void closed(int code, String side) {
        this.closeCode = code;
        this.closedBy = side;
    }

    /** The WebSocket close code, or 0 for a plain HTTP exchange. */
    public int closeCode() {
        return closeCode;
    }

    public String closedBy() {
        return closedBy;
    }

    /** What the answer reported (usage, finish reasons, block), or null when it was not a generate answer. */
    public ResponseFacts facts() {
        return facts;
    }

    /** Why the stream ended with an error event, or null. */
    public TruncationReason truncation() {
        return truncation;
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return method;
    }

    public String sdk() {
        return sdk;
    }

    public String clientId() {
        return clientId;
    }

    public String model() {
        return model;
    }

    public Operation operation() {
        return operation;
    }

    public int upstreamStatus() {
        return upstreamStatus;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public ErrorType errorType() {
        return errorType;
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Time until the upstream response headers arrived, or -1 when there was no upstream response. */
    public long timeToFirstByteNanos() {
        return upstreamHeadersNanos == 0 ? -1 : upstreamHeadersNanos - startNanos;
    }

    /**
     * The caller's SDK, from its own header: the Gemini SDKs' language token ({@code gl-python/3.12.4}), or for the
     * OpenAI SDKs, which send {@code x-stainless-lang} and {@code x-stainless-package-version}, {@code openai-js/7.55.0}.
     */
    private static String sdkToken(HttpHeaders headers) {
        String apiClient = headers.getFirst("x-goog-api-client");
        if (apiClient != null) {
            Matcher matcher = SDK_TOKEN.matcher(apiClient);
            return matcher.find() ? matcher.group(1) : "-";
        }
        String openAi = "openai-" + headers.getFirst("x-stainless-lang") + "/"
                + headers.getFirst("x-stainless-package-version");
        return headers.containsKey("x-stainless-lang") && OPENAI_SDK.matcher(openAi).matches() ? openAi : "-";
    }
}
