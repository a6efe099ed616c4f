package io.github.geminigateway.observability;

import io.github.geminigateway.error.ErrorBodyShape;
import io.github.geminigateway.error.ErrorResponseWriter;
import io.github.geminigateway.error.ErrorResponseWriter.ErrorReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;

/**
 * The gateway's only filter, wrapped around every request: it gives the request its correlation id (echoed on the
 * response, put in the log context), opens the {@link RequestRecord}, turns any failure into its error answer,
 * and when the exchange ends hands the record to the access log and metrics.
 */
public final class CorrelationFilter implements WebFilter, Ordered {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger log = LoggerFactory.getLogger(CorrelationFilter.class);

    private final ErrorResponseWriter errors;
    private final RequestObserver observer;

    public CorrelationFilter(ErrorResponseWriter errors, RequestObserver observer) {
        this.errors = errors;
        this.observer = observer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (ManagementRequests.isManagement(exchange)) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = request.getHeaders();
        String requestId = RequestIds.resolve(headers.getFirst(REQUEST_ID_HEADER), headers.getFirst("traceparent"));
        exchange.getResponse().getHeaders().set(REQUEST_ID_HEADER, requestId);
        RequestRecord record = new RequestRecord(requestId, request.getMethod().name(), headers);
        exchange.getAttributes().put(RequestRecord.ATTRIBUTE, record);
        return chain.filter(exchange)
                .onErrorResume(failure -> {
                    if (exchange.getResponse().isCommitted()) {
                        // The answer has started (typically the caller hung up mid-body): nothing can be sent any
                        // more, and it is not a gateway fault worth an error log.
                        log.debug("Exchange ended after the response was committed: {}", failure.toString());
                        return Mono.empty();
                    }
                    ErrorReply reply;
                    try (LogContext.Scope scope = LogContext.open(requestId, record.clientId())) {
                        reply = errors.reply(failure, requestId,
                                exchange.getAttributeOrDefault(ErrorBodyShape.ATTRIBUTE, ErrorBodyShape.GEMINI));
                    }
                    record.failed(reply.errorType());
                    record.addBytesOut(reply.body().length);
                    return errors.write(exchange, reply, failure);
                })
                .doFinally(signal -> complete(exchange, record, signal))
                .contextWrite(Context.of(LogContext.REQUEST_ID, requestId));
    }

    private void complete(ServerWebExchange exchange, RequestRecord record, SignalType signal) {
        if (record.handedOver()) {
            return;
        }
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = signal == SignalType.CANCEL ? 499 : status == null ? 200 : status.value();
        try (LogContext.Scope scope = LogContext.open(record.requestId(), record.clientId())) {
            observer.completed(record, code);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
