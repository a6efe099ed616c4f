package io.github.geminigateway.proxy;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.auth.ClientKeyAuthenticator;
import io.github.geminigateway.error.ErrorBodyShape;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.RelayedUpstreamError;
import io.github.geminigateway.limits.Admission;
import io.github.geminigateway.limits.RequestLimiter;
import io.github.geminigateway.observability.LogContext;
import io.github.geminigateway.observability.ManagementRequests;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.observability.TracePropagation;
import io.github.geminigateway.proxy.RequestBodyReader.ReadBody;
import io.github.geminigateway.resilience.ResilientUpstream;
import io.github.geminigateway.resilience.UpstreamCall;
import io.github.geminigateway.surface.ApiSurface;
import io.github.geminigateway.surface.ApiSurfaces;
import io.github.geminigateway.surface.BodyFacts;
import io.github.geminigateway.surface.GeminiPath;
import io.github.geminigateway.surface.GeminiPathParser;
import io.github.geminigateway.surface.SurfaceCall;
import io.github.geminigateway.upload.UploadUrlRewriter;
import io.github.geminigateway.upload.UploadUrlRewriter.AuthorizedChunk;
import io.github.geminigateway.upstream.RetryMode;
import io.github.geminigateway.upstream.UpstreamRequest;
import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.util.Set;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The request path for every Gemini API surface, in the order a request travels it: check the path, find the
 * surface that serves it (which says where the caller's key is and what shape its errors take), authenticate the
 * caller, read the body once (with the fields the surface needs), govern the model or agent it names, admit it
 * under the limits, send it upstream with the gateway's key, and relay the answer. What differs between surfaces is
 * the {@link ApiSurface}'s to say; this class has no branch for any one of them.
 *
 * <p>The admission's lifetime has one owner: {@code Mono.usingWhen} closes it when the call ends, however it ends
 * (answered, failed, or cancelled by a caller that went away), settling the limits with what the answer reported.
 *
 * <p>It answers every request of the API port itself, as a web filter just inside the {@code CorrelationFilter},
 * writing straight to the exchange: Spring's handler dispatch (handler lookup, result handling, ServerResponse) has
 * nothing to add to a proxy and cost a measurable share of the CPU per request. Requests to the management server
 * (its own port, {@code management.server.port}) pass on to the actuator.
 */
public final class GeminiProxyHandler implements WebFilter, Ordered {

    /** Names the model that served the request, which differs from the path's after a fallback. */
    static final String SERVED_MODEL = "X-Gateway-Model";
    private static final String UPLOAD_STATUS = "X-Goog-Upload-Status";

    private static final Set<HttpMethod> METHODS =
            Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE);

    private final GeminiPathParser paths = new GeminiPathParser();
    private final ApiSurfaces surfaces;
    private final HeaderPolicy headerPolicy;
    private final ClientKeyAuthenticator authenticator;
    private final RequestBodyReader bodies;
    private final UploadUrlRewriter uploads;
    private final ResilientUpstream upstream;
    private final ResponseRelay relay;
    private final RequestLimiter limiter;
    private final TracePropagation tracing;
    private final BodyBudget budget;

    public GeminiProxyHandler(ApiSurfaces surfaces, HeaderPolicy headerPolicy, ClientKeyAuthenticator authenticator,
                              RequestBodyReader bodies, BodyBudget budget, UploadUrlRewriter uploads,
                              ResilientUpstream upstream, ResponseRelay relay, RequestLimiter limiter,
                              TracePropagation tracing) {
        this.surfaces = surfaces;
        this.headerPolicy = headerPolicy;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.uploads = uploads;
        this.upstream = upstream;
        this.relay = relay;
        this.limiter = limiter;
        this.tracing = tracing;
        this.budget = budget;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ManagementRequests.isManagement(exchange) ? chain.filter(exchange) : handle(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;   // inside the CorrelationFilter, after the Live API's endpoint
    }

    Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        RequestRecord record = RequestRecord.of(exchange);
        return Mono.defer(() -> {
            URI uri = request.getURI();
            GeminiPath path = paths.parse(uri.getRawPath());
            record.route(path.model(), path.operation());
            ApiSurface surface = surfaces.of(path);
            exchange.getAttributes().put(ErrorBodyShape.ATTRIBUTE, surface.errorShape());
            HttpMethod method = request.getMethod();
            if (!METHODS.contains(method)) {
                throw new GatewayException(ErrorStatus.METHOD_NOT_ALLOWED, ErrorType.CALLER_INVALID,
                        "HTTP method " + method.name() + " is not supported by the Gemini API.");
            }
            if (path.upload() && uploads.isChunk(uri.getRawQuery())) {
                return uploadChunk(exchange, record, path, surface);
            }
            Caller caller = authenticator.authenticate(
                    surface.presentedKey(request.getHeaders(), request.getQueryParams()), surface.keyLocation());
            paths.remember(uri.getRawPath(), path);
            record.client(caller.id());
            requireAllowed(caller, path.model(), false);
            limiter.refuseEarly(caller.id());
            BodyBudget.Share share = budget.share(caller.id());
            return bodies.read(request, surface.bodyFields(method, path), share)
                    .flatMap(body -> admitAndSend(exchange, record, path, surface, caller, body, share))
                    // The body is let go once the upstream has answered; this is for every path that never got there.
                    .doFinally(signal -> share.release())
                    .contextWrite(Context.of(LogContext.CLIENT_ID, caller.id()));
        });
    }

    private Mono<Void> admitAndSend(ServerWebExchange exchange, RequestRecord record, GeminiPath path,
                                    ApiSurface surface, Caller caller, ReadBody read, BodyBudget.Share share) {
        ServerHttpRequest request = exchange.getRequest();
        URI uri = request.getURI();
        record.addBytesIn(read.bytes().length);
        SurfaceCall call = surface.classify(request.getMethod(), path, uri.getRawQuery(), read.facts());
        record.route(call.model(), call.operation());
        if (call.openClientsOnly() && !caller.open()) {
            throw GatewayException.permissionDenied("Client '" + caller.id() + "' is held to some models, and this "
                    + "call could use any model out of the gateway's sight. Ask the gateway operators.");
        }
        requireAllowed(caller, call.model(), call.agent());
        call.alsoNamed().forEach(model -> requireAllowed(caller, model, false));
        HeldRequestBody body = new HeldRequestBody(read.bytes(), share::release);
        CallContext context = new CallContext(exchange, record, path, surface, call, caller, body);
        String target = UpstreamTarget.of(uri.getRawPath(), uri.getRawQuery());
        return Mono.usingWhen(limiter.admit(caller.id(), call.model(), call.stream(), body.length()),
                admission -> send(context.admitted(admission), target, body.length(), body.replayable(),
                        call.retry()),
                admission -> admission.close(context.usage(false, false)),
                (admission, failure) -> admission.close(context.usage(false, true)),
                admission -> admission.close(context.usage(true, false)));
    }

    /** A chunk of a resumable upload: authorised by the signed URL, its body streamed through unread, once. */
    private Mono<Void> uploadChunk(ServerWebExchange exchange, RequestRecord record, GeminiPath path,
                                   ApiSurface surface) {
        ServerHttpRequest request = exchange.getRequest();
        URI uri = request.getURI();
        AuthorizedChunk chunk = uploads.authorize(uri.getRawPath(), uri.getRawQuery());
        Caller caller = authenticator.byId(chunk.clientId());
        String presented = surface.presentedKey(request.getHeaders(), request.getQueryParams());
        if (presented != null && !authenticator.authenticate(presented).id().equals(caller.id())) {
            throw GatewayException.permissionDenied("This upload session belongs to another client.");
        }
        record.client(caller.id());
        SurfaceCall call = surface.classify(request.getMethod(), path, uri.getRawQuery(),
                BodyFacts.NONE);
        Publisher<ByteBuf> body = request.getBody()
                .doOnNext(buffer -> record.addBytesIn(buffer.readableByteCount()))
                .map(NettyDataBufferFactory::toByteBuf);
        CallContext context = new CallContext(exchange, record, path, surface, call, caller, null)
                .admitted(Admission.UNLIMITED);
        return send(context, chunk.upstreamTarget(), request.getHeaders().getContentLength(), body, RetryMode.NONE)
                .doOnSuccess(done -> {
                    String status = exchange.getResponse().getHeaders().getFirst(UPLOAD_STATUS);
                    if ("final".equalsIgnoreCase(status) || "cancelled".equalsIgnoreCase(status)) {
                        uploads.ended(chunk.upstreamTarget());
                    }
                })
                .contextWrite(Context.of(LogContext.CLIENT_ID, caller.id()));
    }

    private Mono<Void> send(CallContext context, String target, long contentLength, Publisher<ByteBuf> body,
                            RetryMode retry) {
        ServerHttpRequest request = context.exchange().getRequest();
        RequestRecord record = context.record();
        SurfaceCall call = context.call();
        HttpHeaders headers = headerPolicy.upstreamRequestHeaders(request.getHeaders(), call.stream());
        if (contentLength >= 0 && (contentLength > 0 || request.getMethod() != HttpMethod.GET)) {
            headers.setContentLength(contentLength);
        }
        headers.set("X-Request-Id", record.requestId());
        UpstreamCall upstreamCall = new UpstreamCall(context.caller(), call.model(), call.fallbacks(), retry,
                record.requestId());
        return tracing.inject(headers)
                .flatMap(traced -> upstream.call(upstreamCall,
                        new UpstreamRequest(request.getMethod(), target, traced, body, call.deadlines())))
                .flatMap(outcome -> {
                    context.answered();
                    if (outcome.model() != null) {
                        context.exchange().getResponse().getHeaders().set(SERVED_MODEL, outcome.model());
                    }
                    record.upstreamHeaders(outcome.succeeded() ? outcome.response().status()
                            : outcome.error().httpStatus());
                    return outcome.succeeded() ? relay.relay(context, outcome.response())
                            : Mono.error(new RelayedUpstreamError(outcome.error(), new HttpHeaders()));
                });
    }

    /** The allow-lists, before anything goes upstream: a model (or agent) the client may not use is a 403. */
    private static void requireAllowed(Caller caller, String model, boolean agent) {
        if (model == null || (agent ? caller.mayUseAgent(model) : caller.mayUse(model))) {
            return;
        }
        String kind = agent ? "agent" : "model";
        throw GatewayException.permissionDenied("Client '" + caller.id() + "' may not use " + kind + " '" + model
                + "'. Ask the gateway operators to add it to the client's " + kind + "s.");
    }
}
