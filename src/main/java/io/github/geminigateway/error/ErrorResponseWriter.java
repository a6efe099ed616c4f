package io.github.geminigateway.error;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place a failure becomes an HTTP answer. Gateway failures are already {@link GatewayException}s; Spring's own
 * (no route, wrong method, unsupported media type) are translated; anything else is a bug, logged with its stack trace
 * here and answered with a bare 500 that tells the caller nothing but the request id.
 */
public final class ErrorResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponseWriter.class);

    /** Writes the error, or passes it on when the response has already started and can no longer change. */
    public Mono<Void> write(ServerWebExchange exchange, Throwable failure, String requestId) {
        GatewayException error = translate(failure);
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        response.setStatusCode(HttpStatusCode.valueOf(error.status().httpStatus()));
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (error.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ceilSeconds(error))));
        }
        DataBuffer body = response.bufferFactory().wrap(GeminiErrorBody.of(error, requestId));
        return response.writeWith(Mono.just(body));
    }

    public GatewayException translate(Throwable failure) {
        if (failure instanceof GatewayException gatewayException) {
            return gatewayException;
        }
        if (failure instanceof ResponseStatusException statusException) {
            int code = statusException.getStatusCode().value();
            return switch (code) {
                case 404 -> GatewayException.notFound("The requested URL is not part of the Gemini API.");
                case 405 -> new GatewayException(ErrorStatus.METHOD_NOT_ALLOWED, ErrorType.CALLER_INVALID,
                        "The HTTP method is not supported on this path.");
                case 413 -> new GatewayException(ErrorStatus.PAYLOAD_TOO_LARGE, ErrorType.CALLER_INVALID,
                        "Request payload size exceeds the gateway limit.");
                default -> code < 500 ? GatewayException.invalidArgument("The request could not be processed.")
                        : internal();
            };
        }
        log.error("Unexpected failure while handling a request", failure);
        return internal();
    }

    private static GatewayException internal() {
        return new GatewayException(ErrorStatus.INTERNAL, ErrorType.GATEWAY_INTERNAL,
                "Internal gateway error. Quote the request id to the gateway operators.");
    }

    private static long ceilSeconds(GatewayException error) {
        long millis = error.retryAfter().toMillis();
        return (millis + 999) / 1000;
    }
}
