package io.github.geminigateway.proxy;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.auth.ClientKeyAuthenticator;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.limits.Admission;
import io.github.geminigateway.limits.RequestLimiter;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.observability.LogContext;
import io.github.geminigateway.observability.ManagementRequests;
import io.github.geminigateway.observability.TracePropagation;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.upload.UploadUrlRewriter;
import io.github.geminigateway.upload.UploadUrlRewriter.AuthorizedChunk;
import io.github.geminigateway.resilience.ResilientUpstream;
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
 * The request path for the whole Gemini surface, in the order a request travels it: check the path, authenticate the
 * caller, admit the model, read the body once, send it upstream with the gateway's key, and relay the answer.
 *
 * <p>It answers every request of the API port itself, as a web filter just inside the {@code CorrelationFilter},
 * writing straight to the exchange: Spring's handler dispatch (handler lookup, result handling, ServerResponse) has
 * nothing to add to a proxy and cost a measurable share of the CPU per request. Requests to the management server
 * (its own port, {@code management.server.port}) pass on to the actuator.
 */
public final class GeminiProxyHandler implements WebFilter, Ordered {

    /** Names the model that served the request, which differs from the path's after a fallback. */
    static final String SERVED_MODEL = "X-Gateway-Model";

    private static final Set<HttpMethod> METHODS =
            Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE);

    private final GeminiPathParser paths = new GeminiPathParser();
    private final HeaderPolicy headerPolicy;
    private final ClientKeyAuthenticator authenticator;
    private final RequestBodyReader bodies;
    private final UploadUrlRewriter uploads;
    private final ResilientUpstream upstream;
    private final ResponseRelay relay;
    private final RequestLimiter limiter;
    private final TracePropagation tracing;

    public GeminiProxyHandler(HeaderPolicy headerPolicy, ClientKeyAuthenticator authenticator,
                              RequestBodyReader bodies, UploadUrlRewriter uploads, ResilientUpstream upstream,
                              ResponseRelay relay, RequestLimiter limiter, TracePropagation tracing) {
        this.headerPolicy = headerPolicy;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.uploads = uploads;
        this.upstream = upstream;
        this.relay = relay;
        this.limiter = limiter;
        this.tracing = tracing;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ManagementRequests.isManagement(exchange) ? chain.filter(exchange) : handle(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;   // just inside the CorrelationFilter
    }

    Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        RequestRecord record = RequestRecord.of(exchange);
        return Mono.defer(() -> {
            URI uri = request.getURI();
            GeminiPath path = paths.parse(uri.getRawPath());
            record.route(path.model(), path.operation());
            if (!METHODS.contains(request.getMethod())) {
                throw new GatewayException(ErrorStatus.METHOD_NOT_ALLOWED, ErrorType.CALLER_INVALID,
                        "HTTP method " + request.getMethod().name() + " is not supported by the Gemini API.");
            }
            if (path.upload() && uploads.isChunk(uri.getRawQuery())) {
                return uploadChunk(exchange, request, path, record);
            }
            Caller caller = authenticator.authenticate(presentedKey(request));
            paths.remember(uri.getRawPath(), path);
            record.client(caller.id());
            if (path.model() != null && !caller.mayUse(path.model())) {
                throw GatewayException.permissionDenied("Client '" + caller.id() + "' may not use model '"
                        + path.model() + "'. Ask the gateway operators to add it to the client's models.");
            }
            String target = UpstreamTarget.of(uri.getRawPath(), uri.getRawQuery());
            return bodies.readJson(request)
                    .doOnNext(body -> record.addBytesIn(body.length))
                    .map(HeldRequestBody::new)
                    .flatMap(body -> limiter.admit(caller.id(), path.model(), path.operation() == Operation.STREAM,
                                    body.length())
                            .flatMap(admission -> send(exchange, record, path, caller, admission, target,
                                    body.length(), body.replayable(), body::release)))
                    .contextWrite(Context.of(LogContext.CLIENT_ID, caller.id()));
        });
    }

    /** A chunk of a resumable upload: authorised by the signed URL, its body streamed through unread. */
    private Mono<Void> uploadChunk(ServerWebExchange exchange, ServerHttpRequest request, GeminiPath path,
                                   RequestRecord record) {
        URI uri = request.getURI();
        AuthorizedChunk chunk = uploads.authorize(uri.getRawPath(), uri.getRawQuery());
        Caller caller = authenticator.byId(chunk.clientId());
        String presented = presentedKey(request);
        if (presented != null && !authenticator.authenticate(presented).id().equals(caller.id())) {
            throw GatewayException.permissionDenied("This upload session belongs to another client.");
        }
        record.client(caller.id());
        Publisher<ByteBuf> body = request.getBody()
                .doOnNext(buffer -> record.addBytesIn(buffer.readableByteCount()))
                .map(NettyDataBufferFactory::toByteBuf);
        return send(exchange, record, path, caller, Admission.UNLIMITED, chunk.upstreamTarget(),
                request.getHeaders().getContentLength(), body, null)
                .contextWrite(Context.of(LogContext.CLIENT_ID, caller.id()));
    }

    /**
     * @param answered for a replayable body, what lets it go once the upstream has answered (no attempt follows);
     *                 null for a one-shot body, which cannot be retried
     */
    private Mono<Void> send(ServerWebExchange exchange, RequestRecord record, GeminiPath path, Caller caller,
                            Admission admission, String target, long contentLength, Publisher<ByteBuf> body,
                            Runnable answered) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = headerPolicy.upstreamRequestHeaders(request.getHeaders(),
                path.operation() == Operation.STREAM);
        if (contentLength >= 0 && (contentLength > 0 || request.getMethod() != HttpMethod.GET)) {
            headers.setContentLength(contentLength);
        }
        headers.set("X-Request-Id", record.requestId());
        return tracing.inject(headers)
                .flatMap(traced -> upstream.call(caller, path.model(),
                        new UpstreamRequest(request.getMethod(), target, traced, body), answered != null,
                        record.requestId()))
                .onErrorResume(failure -> admission.settle(TokenUsage.NONE)
                        .doFinally(signal -> admission.release())
                        .then(Mono.error(failure)))
                .doOnCancel(admission::release)
                .flatMap(outcome -> {
                    if (answered != null) {
                        answered.run();
                    }
                    if (outcome.model() != null) {
                        exchange.getResponse().getHeaders().set(SERVED_MODEL, outcome.model());
                    }
                    record.upstreamHeaders(outcome.succeeded() ? outcome.response().status()
                            : outcome.error().httpStatus());
                    return outcome.succeeded()
                            ? relay.relay(exchange, record, path, caller, admission, outcome.response())
                            : relay.relayError(exchange, record, outcome.error().httpStatus(), new HttpHeaders(),
                                    outcome.error(), admission);
                });
    }

    /** The gateway key, where the SDKs put an API key: the x-goog-api-key header, or the key query parameter. */
    private static String presentedKey(ServerHttpRequest request) {
        String header = request.getHeaders().getFirst("x-goog-api-key");
        return header != null ? header : request.getQueryParams().getFirst("key");
    }
}
