package io.github.geminigateway.surface;

import io.github.geminigateway.upstream.Deadlines;
import io.github.geminigateway.upstream.RetryMode;
import java.util.List;

/**
 * What a surface made of one request: everything the governance, the limits and the relay decide on.
 *
 * @param operation     the operation, for metrics and logs
 * @param model         the model or agent the request names (path or body), which its limits, metrics and circuit
 *                      breaker key on; null when it names none
 * @param agent         whether {@code model} is an agent, allowed by the client's agents list rather than its models
 * @param alsoNamed     further models the request names, each of which must be allowed too (a batch's body model)
 * @param stream        whether the answer is a stream, which holds a concurrent-stream slot
 * @param flushEachRead whether a non-SSE answer is still a stream to relay read by read (a JSON-array stream)
 * @param fallbacks     whether the model's fallbacks may serve it (only a model in the path can be swapped)
 * @param retry         how far the call may be retried
 * @param deadlines     its time bounds
 * @param openClientsOnly whether only a client without allow-lists may make the call: a write whose body the
 *                      gateway does not read for models (an agent definition, a trigger, a tuning job, an ephemeral
 *                      token) could make Google run any model, so a client held to some models may not make it
 */
public record SurfaceCall(Operation operation, String model, boolean agent, List<String> alsoNamed, boolean stream,
                          boolean flushEachRead, boolean fallbacks, RetryMode retry, Deadlines deadlines,
                          boolean openClientsOnly) {

    public SurfaceCall {
        alsoNamed = List.copyOf(alsoNamed);
    }
}
