package io.github.geminigateway.live;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.auth.ClientKeyAuthenticator;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.limits.RequestLimiter;
import io.github.geminigateway.observability.ManagementRequests;
import io.github.geminigateway.observability.RequestObserver;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.surface.Operation;
import io.github.geminigateway.upstream.UpstreamClient;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The Live API's door: the WebSocket upgrade on {@code /ws/google.ai.generativelanguage.<v>.GenerativeService.
 * BidiGenerateContent}. Before the upgrade it checks what an HTTP answer can still refuse, Gemini-shaped: the path
 * (404), the method and upgrade (400), a shutdown under way (503), the gateway key from {@code x-goog-api-key} or
 * {@code ?key=} (401), a client already over its requests per minute (429). Then it upgrades and hands the socket
 * to a {@link LiveSession}, which owns the request record from there: the session, not the upgrade, is what the
 * access log and the request metrics report, when it ends.
 *
 * <p>A web filter just inside the correlation filter, before the proxy handler, which never sees a Live path.
 */
public final class LiveEndpoint implements WebFilter, Ordered {

    private static final String KEY_LOCATION = "the x-goog-api-key header or the key query parameter";

    private final ClientKeyAuthenticator authenticator;
    private final Services services;

    LiveEndpoint(ClientKeyAuthenticator authenticator, Services services) {
        this.authenticator = authenticator;
        this.services = services;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (ManagementRequests.isManagement(exchange) || !LivePath.isLive(exchange.getRequest().getURI().getRawPath())) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> upgrade(exchange));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    private Mono<Void> upgrade(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        RequestRecord record = RequestRecord.of(exchange);
        record.route(null, Operation.LIVE);
        LivePath path = LivePath.parse(request.getURI().getRawPath());
        if (path == null) {
            throw GatewayException.notFound("Not a Live API path. Expected /ws/google.ai.generativelanguage."
                    + "v1beta.GenerativeService.BidiGenerateContent (or v1, v1alpha; or BidiGenerateContentConstrained).");
        }
        HttpHeaders headers = request.getHeaders();
        if (request.getMethod() != HttpMethod.GET || !"websocket".equalsIgnoreCase(headers.getUpgrade())) {
            throw GatewayException.invalidArgument("The Live API is a WebSocket: connect with a GET carrying "
                    + "'Upgrade: websocket'.");
        }
        if (services.sessions().draining()) {
            throw new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.GATEWAY_OVERLOADED,
                    "The gateway is shutting down; connect again.");
        }
        String presented = headers.getFirst("x-goog-api-key");
        Caller caller = authenticator.authenticate(presented != null ? presented
                : request.getQueryParams().getFirst("key"), KEY_LOCATION);
        record.client(caller.id());
        services.limiter().refuseEarly(caller.id());
        HttpHeaders upstreamHeaders = new HttpHeaders();
        upstreamHeaders.set("X-Request-Id", record.requestId());
        copy(headers, upstreamHeaders, "x-goog-api-client");
        copy(headers, upstreamHeaders, "user-agent");
        copy(headers, upstreamHeaders, "traceparent");

        ServerHttpResponse response = exchange.getResponse();
        HttpServerResponse nettyResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        WebsocketServerSpec spec = WebsocketServerSpec.builder().handlePing(true)
                .maxFramePayloadLength(services.properties().maxMessageBytes()).build();
        // As Spring's own upgrade strategy does: commit the response (its headers, the request id among them, go
        // on the 101), then let Reactor Netty take the connection over. The handler runs once the handshake is done,
        // before the filter chain completes, so the correlation filter sees the record handed over.
        return response.setComplete().then(Mono.defer(() -> nettyResponse.sendWebsocket((in, out) -> {
            record.handOver();
            return new LiveSession(services, caller, record, path, upstreamHeaders).run(in, out);
        }, spec)));
    }

    private static void copy(HttpHeaders from, HttpHeaders to, String name) {
        String value = from.getFirst(name);
        if (value != null) {
            to.set(name, value);
        }
    }

    /** What every session of this replica shares. */
    record Services(LiveProperties properties, LiveMetrics metrics, LiveSessions sessions, RequestLimiter limiter,
                    UpstreamKeyPool keys, UpstreamClient upstream, RequestObserver observer) {
    }
}
