package io.github.geminigateway.resilience;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.error.RetryInfoDetail;
import io.github.geminigateway.error.UpstreamError;
import io.github.geminigateway.observability.GatewayMetrics;
import io.github.geminigateway.observability.ModelTags;
import io.github.geminigateway.upstream.ApiKey;
import io.github.geminigateway.upstream.RetryMode;
import io.github.geminigateway.upstream.UpstreamClient;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import io.github.geminigateway.upstream.UpstreamRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * Gets an answer from Google for one request, as safely as the request allows. Only the wait for the response
 * headers is retried, never a body that has started to flow; each attempt takes a key from the pool and passes the
 * model's circuit breaker; a model exhausted before the first byte hands over to its configured fallbacks.
 */
public final class ResilientUpstream {

    private final UpstreamClient client;
    private final UpstreamKeyPool keys;
    private final UpstreamErrorReader errors;
    private final CircuitBreakerRegistry breakers;
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final RetryBudget budget;
    private final RetryProperties retryProperties;
    private final ModelProperties models;
    private final GatewayMetrics metrics;
    private final ModelTags modelTags;

    public ResilientUpstream(UpstreamClient client, UpstreamKeyPool keys, UpstreamErrorReader errors,
                             CircuitBreakerRegistry breakers, Bulkhead bulkhead, RetryPolicy retryPolicy,
                             RetryProperties retryProperties, ModelProperties models, GatewayMetrics metrics,
                             ModelTags modelTags) {
        this.client = client;
        this.keys = keys;
        this.errors = errors;
        this.breakers = breakers;
        this.bulkhead = bulkhead;
        this.retry = retryPolicy.retry();
        this.budget = retryPolicy.budget();
        this.retryProperties = retryProperties;
        this.models = models;
        this.metrics = metrics;
        this.modelTags = modelTags;
    }

    public Mono<UpstreamOutcome> call(UpstreamCall call, UpstreamRequest request) {
        List<String> candidates = new ArrayList<>();
        candidates.add(call.model());
        if (call.fallbacks()) {
            models.fallbacksOf(call.model()).stream().filter(call.caller()::mayUse).forEach(candidates::add);
        }
        return callModel(candidates, 0, request, call);
    }

    private Mono<UpstreamOutcome> callModel(List<String> candidates, int index, UpstreamRequest request,
                                            UpstreamCall call) {
        String model = candidates.get(index);
        UpstreamRequest forModel = index == 0 ? request : FallbackPath.rewrite(request, candidates.get(0), model);
        budget.recordRequest();
        Mono<UpstreamOutcome> attempt = Mono.defer(() -> attempt(model, forModel, call.requestId()));
        if (model != null) {
            attempt = attempt.transformDeferred(CircuitBreakerOperator.of(breakerOf(model)));
        }
        if (call.retry() == RetryMode.REFUSED_ONLY) {
            // After the breaker has counted it: a failure that Google may have accepted is final for this call.
            attempt = attempt.onErrorResume(UpstreamFailure.Unavailable.class, failure -> neverReachedGoogle(failure)
                    ? Mono.error(failure) : finalOutcome(failure, model));
        }
        if (call.retry() != RetryMode.NONE) {
            attempt = attempt.transformDeferred(RetryOperator.of(retry));
        }
        Mono<UpstreamOutcome> outcome = attempt
                .onErrorResume(UpstreamFailure.class, failure -> finalOutcome(failure, model))
                .onErrorMap(CallNotPermittedException.class, open -> breakerOpen(model));
        if (index + 1 >= candidates.size()) {
            return outcome;
        }
        return outcome
                .flatMap(result -> exhausted(result)
                        ? callModel(candidates, index + 1, request, call)
                        : Mono.just(result))
                .onErrorResume(GatewayException.class, failure -> exhausted(failure)
                        ? callModel(candidates, index + 1, request, call)
                        : Mono.error(failure));
    }

    /**
     * The model's breaker. A model outside the closed set (the configured and Google's public models) shares the
     * one breaker {@code other}: a caller choosing model ids must not grow the breakers and their metric series.
     */
    private CircuitBreaker breakerOf(String model) {
        return breakers.circuitBreaker(modelTags.of(model));
    }

    /** What the caller gets for a failure no attempt is left for: Google's error, or the gateway's own. */
    private static Mono<UpstreamOutcome> finalOutcome(UpstreamFailure failure, String model) {
        return failure.upstreamError() != null
                ? Mono.just(UpstreamOutcome.failure(failure.upstreamError(), model))
                : Mono.error(failure.gatewayError());
    }

    private static boolean neverReachedGoogle(UpstreamFailure failure) {
        return failure.reason() == RetryReason.CONNECT_ERROR;
    }

    private Mono<UpstreamOutcome> attempt(String model, UpstreamRequest request, String requestId) {
        ApiKey key = keys.acquire(model);
        if (!bulkhead.tryAcquirePermission()) {
            return Mono.error(new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.UPSTREAM_UNAVAILABLE,
                    "The gateway is at its limit of concurrent upstream calls; retry shortly.",
                    List.of(RetryInfoDetail.of(Duration.ofSeconds(1))), Duration.ofSeconds(1)));
        }
        Runnable release = once(bulkhead::onComplete);
        return client.exchange(request, key)
                .doOnError(failure -> release.run())
                .doOnCancel(release)
                .onErrorMap(failure -> transportFailure(model, failure))
                .flatMap(response -> {
                    response.whenDone(release);
                    metrics.upstreamAttempt(model, Integer.toString(response.status()));
                    if (response.status() < 400) {
                        return Mono.just(UpstreamOutcome.success(response, model));
                    }
                    return errors.read(response, requestId).flatMap(error -> classify(error, key, model));
                });
    }

    /**
     * Puts the key through what the error means for it, then follows the verdict ({@link UpstreamErrorVerdict}):
     * Google's error back to the caller, or another attempt.
     */
    private Mono<UpstreamOutcome> classify(UpstreamError error, ApiKey key, String model) {
        switch (UpstreamErrorVerdict.keyAction(error)) {
            case REJECT -> keys.reject(key);
            case RECORD_DAY_QUOTA -> keys.recordQuota(key, model, "per-day", error.retryDelay());
            case RECORD_MINUTE_QUOTA -> keys.recordQuota(key, model, "per-minute", null);
            case COOL_DOWN -> keys.coolDown(key, model, error.retryDelay());
            case NONE -> { }
        }
        UpstreamErrorVerdict verdict = UpstreamErrorVerdict.of(error, keys.hasAlternativeTo(key, model),
                retryProperties.maxRetryDelay());
        return switch (verdict.kind()) {
            case RELAY -> Mono.just(UpstreamOutcome.failure(error, model));
            case QUOTA_RETRY -> Mono.error(new UpstreamFailure.QuotaRetry(model, verdict.reason(), error,
                    verdict.delay()));
            case UNAVAILABLE -> Mono.error(new UpstreamFailure.Unavailable(model, verdict.reason(), error, null));
        };
    }

    private Throwable transportFailure(String model, Throwable failure) {
        if (failure instanceof GatewayException) {
            return failure;
        }
        boolean timeout = failure instanceof TimeoutException;
        RetryReason reason = timeout ? RetryReason.TIMEOUT
                : isConnect(failure) ? RetryReason.CONNECT_ERROR : RetryReason.RESET;
        metrics.upstreamAttempt(model, reason.tag());
        GatewayException gatewayError = timeout
                ? new GatewayException(ErrorStatus.DEADLINE_EXCEEDED, ErrorType.UPSTREAM_TIMEOUT,
                        "The upstream Gemini API did not answer within the gateway's first-byte timeout.")
                : isConnect(failure)
                ? new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.UPSTREAM_UNAVAILABLE,
                        "The upstream Gemini API could not be reached.")
                : new GatewayException(ErrorStatus.BAD_GATEWAY, ErrorType.UPSTREAM_UNAVAILABLE,
                        "The upstream Gemini API closed the connection before answering.");
        return new UpstreamFailure.Unavailable(model, reason, null, gatewayError);
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    private static boolean isConnect(Throwable failure) {
        return failure instanceof ConnectException || failure.getCause() instanceof ConnectException;
    }

    private GatewayException breakerOpen(String model) {
        CircuitBreaker breaker = breakerOf(model);
        Duration wait = Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState()
                .apply(1));
        return new GatewayException(ErrorStatus.UNAVAILABLE, ErrorType.UPSTREAM_UNAVAILABLE,
                "The upstream Gemini API is failing for model " + model + "; the gateway is holding requests back "
                        + "for a while to let it recover.", List.of(RetryInfoDetail.of(wait)), wait);
    }

    /** Whether the model is used up before the first byte, so that a fallback model should be tried. */
    private static boolean exhausted(UpstreamOutcome outcome) {
        return outcome.error() != null && (outcome.error().httpStatus() == 503
                || outcome.error().httpStatus() == 429 && !outcome.error().perDayQuota());
    }

    private static boolean exhausted(GatewayException failure) {
        return failure.status() == ErrorStatus.UNAVAILABLE && failure.errorType() == ErrorType.UPSTREAM_UNAVAILABLE
                || failure.errorType() == ErrorType.UPSTREAM_QUOTA_MINUTE;
    }
}
