package io.github.geminigateway.proxy;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.limits.Admission;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.stream.ResponseFacts;
import io.github.geminigateway.surface.ApiSurface;
import io.github.geminigateway.surface.GeminiPath;
import io.github.geminigateway.surface.SurfaceCall;
import org.springframework.web.server.ServerWebExchange;

/**
 * Everything one proxied call carries from the handler through the upstream call to the relay: the exchange and its
 * record, the checked path, the surface that owns it and what it made of the request, the caller, the admission the
 * limits granted, and the body held for retries. It also collects what the answer reported, from which the
 * admission's owner settles the limits when the call ends.
 */
final class CallContext {

    private final ServerWebExchange exchange;
    private final RequestRecord record;
    private final GeminiPath path;
    private final ApiSurface surface;
    private final SurfaceCall call;
    private final Caller caller;
    private final HeldRequestBody body;
    private final ResponseFacts facts = new ResponseFacts();
    private Admission admission = Admission.UNLIMITED;
    private volatile boolean answeredOk;

    CallContext(ServerWebExchange exchange, RequestRecord record, GeminiPath path, ApiSurface surface,
                SurfaceCall call, Caller caller, HeldRequestBody body) {
        this.exchange = exchange;
        this.record = record;
        this.path = path;
        this.surface = surface;
        this.call = call;
        this.caller = caller;
        this.body = body;
    }

    CallContext admitted(Admission granted) {
        this.admission = granted;
        return this;
    }

    ServerWebExchange exchange() {
        return exchange;
    }

    RequestRecord record() {
        return record;
    }

    GeminiPath path() {
        return path;
    }

    ApiSurface surface() {
        return surface;
    }

    SurfaceCall call() {
        return call;
    }

    Caller caller() {
        return caller;
    }

    Admission admission() {
        return admission;
    }

    /** What the answer reported so far; the relay's scanners and stream guard fill it. */
    ResponseFacts facts() {
        return facts;
    }

    /** Google answered with a success status: from here on, the call is billed whatever happens to its body. */
    void answeredOk() {
        this.answeredOk = true;
    }

    /** The upstream has answered: no attempt follows, so the held body can go. */
    void answered() {
        if (body != null) {
            body.release();
        }
    }

    /**
     * What the call used, for the limits: the usage the answer reported; else null (the estimate stays charged) for
     * a call that was cancelled, that Google accepted but whose answer broke off, whose answer says its usage comes
     * later, or that Google bills by tokens but whose answer the gateway could not read them from (a JSON-array
     * stream); else nothing (the estimate is given back: the call was refused or failed before an answer, or it is
     * not billed by tokens).
     */
    TokenUsage usage(boolean cancelled, boolean failed) {
        if (facts.usage() != null) {
            return facts.usage();
        }
        boolean unread = answeredOk && call.operation().billedByUsage();
        return cancelled || unread || facts.usageComesLater() || failed && answeredOk ? null : TokenUsage.NONE;
    }
}
