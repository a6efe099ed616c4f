package io.github.geminigateway.live;

import io.github.geminigateway.auth.Caller;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.live.LiveMetrics.SessionMeter;
import io.github.geminigateway.observability.RequestRecord;
import io.github.geminigateway.stream.LiveMessageScanner;
import io.github.geminigateway.stream.ResponseFacts;
import io.github.geminigateway.surface.ModelNames;
import io.github.geminigateway.surface.Operation;
import io.github.geminigateway.upstream.ApiKey;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCounted;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One Live API session, from the upgraded caller's socket to Google's and back. It reads the caller's first message
 * for the model (allow-list, limits), dials Google with a pooled key, sends that first message on unchanged, and from
 * then on relays every frame both ways as it came (text, binary, ping and pong), reading the server's messages only
 * for their {@code usageMetadata}. Each direction writes one frame at a time and reads the next only when the last
 * is written, so a slow receiver holds back its sender over TCP instead of filling the gateway's memory: a session
 * holds at most a few messages of {@code gateway.live.max-message-size} each way.
 *
 * <p>Close codes and reasons cross in both directions: Google's 1011 reaches the caller as 1011 with Google's
 * reason. What the gateway itself closes with: 1007 for a first message that is not a setup with a model, 1008 for a
 * model the client may not use or a setup that never came, 1013 for a client over its limits, 1011 when Google
 * cannot be reached or the connection to it is lost, 1009 for a message over the size bound, 1001 for the idle and
 * duration bounds and the shutdown.
 */
final class LiveSession {

    private static final Logger log = LoggerFactory.getLogger(LiveSession.class);
    private static final String IDLE_HANDLER = "gateway.liveIdle";

    private final LiveEndpoint.Services services;
    private final Caller caller;
    private final RequestRecord record;
    private final LivePath path;
    private final HttpHeaders upstreamHeaders;
    private final SessionMeter meter;
    private final ResponseFacts facts = new ResponseFacts();
    /** How the session ended, as first seen: the code, its reason, and the side that closed. */
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private volatile WebsocketOutbound toCaller;
    private volatile WebsocketOutbound toGoogle;

    LiveSession(LiveEndpoint.Services services, Caller caller, RequestRecord record, LivePath path,
                HttpHeaders upstreamHeaders) {
        this.services = services;
        this.caller = caller;
        this.record = record;
        this.path = path;
        this.upstreamHeaders = upstreamHeaders;
        this.meter = services.metrics().opened();
    }

    /** Runs the session on the upgraded connection; completes when both sides are closed. */
    Mono<Void> run(WebsocketInbound in, WebsocketOutbound out) {
        this.toCaller = out;
        LiveProperties properties = services.properties();
        services.sessions().opened(this);
        in.withConnection(connection -> connection.addHandlerLast(IDLE_HANDLER, new IdleBound(properties)));
        Disposable longest = Mono.delay(properties.maxDuration())
                .subscribe(tick -> stop(CloseCodes.GOING_AWAY, "The session reached the gateway's longest "
                        + "duration; reconnect (with session resumption) to go on."));
        Flux<WebSocketFrame> frames = in.aggregateFrames(properties.maxMessageBytes()).receiveFrames()
                .map(WebSocketFrame::retain)
                .timeout(Mono.delay(properties.setupTimeout()), frame -> Mono.never());
        return frames.switchOnFirst((first, all) -> begin(first, all, in))
                .then()
                .onErrorResume(failure -> closeCaller(failure))
                .doOnDiscard(ReferenceCounted.class, ReferenceCountUtil::safeRelease)
                .doFinally(signal -> {
                    longest.dispose();
                    finish();
                });
    }

    private Mono<Void> begin(Signal<? extends WebSocketFrame> first, Flux<WebSocketFrame> all, WebsocketInbound in) {
        if (!first.hasValue()) {
            // The caller closed (or broke off) before its setup, or the setup timeout hit.
            Throwable failure = first.getThrowable();
            if (failure instanceof TimeoutException) {
                return refuse(CloseCodes.POLICY_VIOLATION, ErrorType.CALLER_INVALID, "No setup message within "
                        + services.properties().setupTimeout().toSeconds() + "s of connecting.");
            }
            return failure != null ? Mono.error(failure) : in.receiveCloseStatus()
                    .doOnNext(status -> ended(status.code(), status.reasonText(), CloseSide.CLIENT)).then();
        }
        WebSocketFrame frame = first.get();
        String model = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                ? LiveMessageScanner.setupModel(ByteBufUtil.getBytes(frame.content())) : null;
        if (model == null) {
            return refuse(CloseCodes.INVALID_PAYLOAD, ErrorType.CALLER_INVALID,
                    "The first message must be {\"setup\":{\"model\":\"models/...\",...}}.");
        }
        String id;
        try {
            id = ModelNames.fromBody(model, "models/", "setup.model");
        } catch (GatewayException malformed) {
            return refuse(CloseCodes.INVALID_PAYLOAD, ErrorType.CALLER_INVALID, malformed.getMessage());
        }
        record.route(id, Operation.LIVE);
        meter.model(id);
        if (!caller.mayUse(id)) {
            return refuse(CloseCodes.POLICY_VIOLATION, ErrorType.CALLER_AUTH, "Client '" + caller.id()
                    + "' may not use model '" + id + "'. Ask the gateway operators.");
        }
        long setupBytes = frame.content().readableBytes();
        return Mono.usingWhen(
                services.limiter().admitSession(caller.id(), id, setupBytes, services.properties().lease()),
                admission -> connect(id, all, in),
                admission -> admission.close(usage()),
                (admission, failure) -> admission.close(usage()),
                admission -> admission.close(usage()))
                // Here, not after switchOnFirst: a failure leaving it cancels the caller's frames, and Reactor Netty
                // answers that cancel with a close of no code before this close could go.
                .onErrorResume(this::closeCaller);
    }

    /** Dials Google with a pooled key and relays until both sides are closed. */
    private Mono<Void> connect(String model, Flux<WebSocketFrame> fromCaller, WebsocketInbound callerIn) {
        ApiKey key = services.keys().acquire(model);
        return services.upstream().websocket(path.upstreamPath(), upstreamHeaders, key,
                        services.properties().maxMessageBytes(),
                        (googleIn, googleOut) -> relay(fromCaller, callerIn, googleIn, googleOut))
                .then()
                .onErrorResume(WebSocketClientHandshakeException.class, refused -> {
                    int status = refused.response() == null ? 0 : refused.response().status().code();
                    record.upstreamHeaders(status);
                    log.warn("Google refused a Live session upgrade for model {}: HTTP {}", model, status);
                    return status == 429
                            ? refuse(CloseCodes.TRY_AGAIN_LATER, ErrorType.UPSTREAM_QUOTA_MINUTE,
                                    "Google's quota for Live sessions is exhausted; retry later.")
                            : refuse(CloseCodes.INTERNAL_ERROR, ErrorType.UPSTREAM_UNAVAILABLE,
                                    "Google refused the session (HTTP " + status + ").");
                });
    }

    private Mono<Void> relay(Flux<WebSocketFrame> fromCaller, WebsocketInbound callerIn,
                             WebsocketInbound googleIn, WebsocketOutbound googleOut) {
        this.toGoogle = googleOut;
        record.upstreamHeaders(101);
        WebsocketOutbound callerOut = toCaller;
        int max = services.properties().maxMessageBytes();
        Mono<Void> up = send(fromCaller.doOnNext(frame -> {
                    int size = frame.content().readableBytes();
                    meter.toUpstream(size);
                    record.addBytesIn(size);
                }), googleOut)
                .then(closeOther(callerIn, googleOut, CloseSide.CLIENT))
                .onErrorResume(failure -> closeAfterFailure(googleOut, failure, CloseSide.CLIENT));
        Flux<WebSocketFrame> fromGoogle = googleIn.aggregateFrames(max).receiveFrames()
                .map(WebSocketFrame::retain)
                .doOnNext(frame -> {
                    int size = frame.content().readableBytes();
                    meter.toClient(size);
                    record.addBytesOut(size);
                    if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                        LiveMessageScanner.addUsage(frame.content(), facts);
                    }
                });
        Mono<Void> down = send(fromGoogle, callerOut)
                .then(closeOther(googleIn, callerOut, CloseSide.UPSTREAM))
                .onErrorResume(failure -> closeAfterFailure(callerOut, failure, CloseSide.UPSTREAM));
        return Mono.when(up, down);
    }

    /**
     * Writes the frames to the other side one at a time: the next is asked for only when the last is written, so a
     * slow receiver holds back the sender over TCP and the session holds about one message in flight.
     */
    private static Mono<Void> send(Flux<WebSocketFrame> frames, WebsocketOutbound to) {
        return frames.concatMap(frame -> to.sendObject(frame).then(), 0).then();
    }

    /** A message over {@code max-message-size}: one frame (the decoder's 1009), or fragments (the aggregator's). */
    private static boolean tooBig(Throwable failure) {
        return failure instanceof TooLongFrameException || failure instanceof CorruptedWebSocketFrameException corrupt
                && corrupt.closeStatus().code() == CloseCodes.TOO_BIG;
    }

    /** Once a side's frames have ended: its close status (none when the connection was lost) goes to the other. */
    private Mono<Void> closeOther(WebsocketInbound closed, WebsocketOutbound other, CloseSide side) {
        return closed.receiveCloseStatus()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(status -> status.isPresent()
                        ? closing(other, status.get().code(), status.get().reasonText(), side)
                        : closing(other, CloseCodes.ABNORMAL, null, side));
    }

    /**
     * One side closed with this status: close the other the same way. A code that cannot be sent on (1005, no code
     * given; 1006, the connection was lost) becomes a plain close toward Google, and toward the caller 1011 when
     * Google's connection was lost, since the caller must know its session did not end normally.
     */
    private Mono<Void> closing(WebsocketOutbound other, int code, String reason, CloseSide side) {
        ended(code, reason, side);
        if (CloseCodes.sendable(code)) {
            return other.sendClose(code, CloseCodes.reason(reason));
        }
        if (code == CloseCodes.ABNORMAL && side == CloseSide.UPSTREAM) {
            return other.sendClose(CloseCodes.INTERNAL_ERROR, "The connection to Google was lost.");
        }
        if (code == CloseCodes.ABNORMAL) {
            return other.sendClose(CloseCodes.GOING_AWAY, "The client went away.");
        }
        return other.sendClose();
    }

    /** A direction failed while relaying: a message over the bound (1009), or a broken connection. */
    private Mono<Void> closeAfterFailure(WebsocketOutbound other, Throwable failure, CloseSide side) {
        if (tooBig(failure)) {
            String reason = "A message was larger than the gateway's " + services.properties().maxMessageSize()
                    + " bound.";
            ended(CloseCodes.TOO_BIG, reason, CloseSide.GATEWAY);
            return Mono.when(toCaller.sendClose(CloseCodes.TOO_BIG, CloseCodes.reason(reason)),
                    toGoogle == null ? Mono.empty() : toGoogle.sendClose(CloseCodes.GOING_AWAY, "client message "
                            + "too large")).onErrorResume(ignored -> Mono.empty());
        }
        log.debug("Live relay ({} side) ended with {}", side.tag(), failure.toString());
        return closing(other, CloseCodes.ABNORMAL, null, side).onErrorResume(ignored -> Mono.empty());
    }

    /** A failure before the relay began (the key pool's 429, a connection refused): the caller gets a close. */
    private Mono<Void> closeCaller(Throwable failure) {
        if (failure instanceof GatewayException refusal) {
            boolean later = refusal.status() == ErrorStatus.RESOURCE_EXHAUSTED
                    || refusal.status() == ErrorStatus.UNAVAILABLE;
            return refuse(later ? CloseCodes.TRY_AGAIN_LATER : CloseCodes.INTERNAL_ERROR, refusal.errorType(),
                    refusal.getMessage());
        }
        if (tooBig(failure)) {
            return refuse(CloseCodes.TOO_BIG, ErrorType.CALLER_INVALID, "The setup message was larger than the "
                    + "gateway's " + services.properties().maxMessageSize() + " bound.");
        }
        log.warn("Live session could not reach Google: {}", failure.toString());
        return refuse(CloseCodes.INTERNAL_ERROR, ErrorType.UPSTREAM_UNAVAILABLE, "The gateway could not reach "
                + "Google; retry later.");
    }

    /** Closes the caller's socket with a code and a reason of the gateway's own; nothing went, or goes, upstream. */
    private Mono<Void> refuse(int code, ErrorType type, String reason) {
        record.failed(type);
        ended(code, reason, CloseSide.GATEWAY);
        return toCaller.sendClose(code, CloseCodes.reason(reason)).onErrorResume(ignored -> Mono.empty());
    }

    /**
     * Ends the session from the gateway's side (idle, longest duration, shutdown): both sides get the same close.
     * The relay then ends as each side's close is answered.
     */
    void stop(int code, String reason) {
        ended(code, reason, CloseSide.GATEWAY);
        WebsocketOutbound google = toGoogle;
        Mono.when(toCaller.sendClose(code, CloseCodes.reason(reason)),
                        google == null ? Mono.empty() : google.sendClose(code, CloseCodes.reason(reason)))
                .onErrorResume(ignored -> Mono.empty())
                .subscribe();
    }

    /**
     * Tells the caller, as Google does before it ends a connection, that this one ends soon: {@code goAway} with the
     * time left. A caller with session resumption reconnects (to another replica) without losing its context.
     */
    void goAway(long secondsLeft) {
        WebsocketOutbound out = toCaller;
        if (out == null) {
            return;
        }
        out.sendObject(new TextWebSocketFrame("{\"goAway\":{\"timeLeft\":\"" + secondsLeft + "s\"}}")).then()
                .onErrorResume(ignored -> Mono.empty())
                .subscribe();
    }

    private void ended(int code, String reason, CloseSide side) {
        ending.compareAndSet(null, new Ending(code, reason, side));
    }

    /**
     * The usage to settle: the sum Google reported; else, once Google had the session, null (the estimate stays
     * charged); else nothing.
     */
    private TokenUsage usage() {
        if (facts.usage() != null) {
            return facts.usage();
        }
        return record.upstreamStatus() == 101 ? null : TokenUsage.NONE;
    }

    private void finish() {
        Ending end = ending.get();
        if (end == null) {
            end = new Ending(CloseCodes.ABNORMAL, null, CloseSide.CLIENT);
        }
        meter.closed(end.code(), end.side());
        services.sessions().closed(this);
        if (facts.usage() != null) {
            record.facts(facts);
        }
        record.closed(end.code(), end.side().tag());
        services.observer().completed(record, 101);
    }

    private record Ending(int code, String reason, CloseSide side) {
    }

    /** Closes the session when no frame has gone either way for the idle timeout. */
    private final class IdleBound extends IdleStateHandler {

        IdleBound(LiveProperties properties) {
            super(0, 0, properties.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext context, IdleStateEvent event) {
            stop(CloseCodes.GOING_AWAY, "No message either way for "
                    + services.properties().idleTimeout().toSeconds() + "s: the gateway closed the session.");
        }
    }
}
