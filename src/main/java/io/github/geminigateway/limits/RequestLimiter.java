package io.github.geminigateway.limits;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Decides whether a request may go upstream under the per-client and per-model limits. A refusal is a
 * {@link io.github.geminigateway.error.GatewayException} with status RESOURCE_EXHAUSTED (429), error type
 * CALLER_LIMITED, a {@code google.rpc.QuotaFailure} detail naming the limit, a {@code google.rpc.RetryInfo} detail
 * and {@code retryAfter} set to the real wait.
 */
public interface RequestLimiter {

    /**
     * @param clientId     the authenticated client
     * @param model        the model id from the path, or null when the request names none
     * @param stream       whether this is a streamGenerateContent call (counts against max-concurrent-streams)
     * @param requestBytes size of the request body, for the token estimate
     */
    Mono<Admission> admit(String clientId, String model, boolean stream, long requestBytes);

    /**
     * A Live API session of the client on the model: counted as a request, with the setup message's size for the token
     * estimate, and holding one of the client's {@code max-concurrent-sessions} until the admission is closed (or the
     * lease lapses, for a replica that died holding it).
     */
    Mono<Admission> admitSession(String clientId, String model, long setupBytes, Duration lease);

    /**
     * Refuses, before its body is read, a request of a client this replica already knows to be over its requests
     * per minute until a given time: such a caller costs no body read, inflation or parse. Any other request passes
     * on to {@link #admit}, which decides.
     */
    default void refuseEarly(String clientId) {
    }
}
