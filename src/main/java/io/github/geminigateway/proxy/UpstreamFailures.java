package io.github.geminigateway.proxy;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Names a transport failure on the way to Google in the caller's terms. The message says what happened, never the
 * upstream address or the exception text, which can carry internal host names.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    static Throwable translate(Throwable failure) {
        if (failure instanceof GatewayException) {
            return failure;
        }
        if (failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException) {
            return new GatewayException(ErrorStatus.DEADLINE_EXCEEDED, ErrorType.UPSTREAM_TIMEOUT,
                    "The upstream Gemini API did not answer in time.");
        }
        if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
            return new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.UPSTREAM_UNAVAILABLE,
                    "The upstream Gemini API could not be reached.");
        }
        if (failure instanceof PrematureCloseException) {
            return new GatewayException(ErrorStatus.BAD_GATEWAY, ErrorType.UPSTREAM_UNAVAILABLE,
                    "The upstream Gemini API closed the connection before answering.");
        }
        return new GatewayException(ErrorStatus.BAD_GATEWAY, ErrorType.UPSTREAM_UNAVAILABLE,
                "The request to the upstream Gemini API failed.");
    }
}
