package io.github.geminigateway.error;

import java.time.Duration;
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
import reactor.netty.channel.AbortedException;

/**
 * The one place a failure becomes an HTTP answer. Gateway failures are already {@link GatewayException}s; Google's
 * own errors arrive as {@link RelayedUpstreamError}s, relayed with their status and sanitized body; Spring's own (no
 * route, wrong method, unsupported media type) are translated, and so is a caller that hung up mid-request; anything
 * else is a bug, logged with its stack trace here and answered with a bare 500 that tells the caller nothing but the
 * request id.
 */
public final class ErrorResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponseWriter.class);

    /** An error answer, ready to write. */
    public record ErrorReply(int status, ErrorType errorType, HttpHeaders headers, byte[] body, Duration retryAfter) {
    }

    /** The answer a failure gets, its body in the shape of the route the caller used. */
    public ErrorReply reply(Throwable failure, String requestId, ErrorBodyShape shape) {
        if (failure instanceof RelayedUpstreamError relayed) {
            UpstreamError error = relayed.error();
            return new ErrorReply(error.httpStatus(), error.errorType(), relayed.headers(),
                    shape.reshape(error.httpStatus(), error.body(), requestId), error.retryDelay());
        }
        GatewayException error = translate(failure);
        int status = error.status().httpStatus();
        return new ErrorReply(status, error.errorType(), new HttpHeaders(),
                shape.reshape(status, GeminiErrorBody.of(error, requestId), requestId), error.retryAfter());
    }

    /** Writes the error, or passes it on when the response has already started and can no longer change. */
    public Mono<Void> write(ServerWebExchange exchange, ErrorReply reply, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        response.setStatusCode(HttpStatusCode.valueOf(reply.status()));
        HttpHeaders headers = response.getHeaders();
        headers.addAll(reply.headers());
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(reply.body().length);
        if (reply.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(reply.retryAfter())));
        }
        DataBuffer body = response.bufferFactory().wrap(reply.body());
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
        if (failure instanceof AbortedException || AbortedException.isConnectionReset(failure)) {
            // The caller went away while its request was still arriving: its own doing, and nobody to answer.
            return GatewayException.invalidArgument("The caller closed the connection before its request was "
                    + "complete.");
        }
        log.error("Unexpected failure while handling a request", failure);
        return internal();
    }

    /** Whole seconds, rounded up and at least 1: a client that waits the header's time has waited long enough. */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static GatewayException internal() {
        return new GatewayException(ErrorStatus.INTERNAL, ErrorType.GATEWAY_INTERNAL,
                "Internal gateway error. Quote the request id to the gateway operators.");
    }
}
