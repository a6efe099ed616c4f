package io.github.geminigateway.observability;

import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.ResponseFacts;
import io.github.geminigateway.stream.TruncationReason;
import io.github.geminigateway.surface.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters, named and tagged as docs/metrics.md promises. Meters are looked up in small caches keyed
 * by their tag values, so the hot path does not rebuild a meter id for every request or stream event.
 *
 * <p>The series of the closed tag sets known at startup exist from startup, at zero: a metric without a series is
 * "No data" on a dashboard, and {@code rate()} or {@code increase()} miss the first increment of a series that
 * appears with it. The counters get every configured client and model with every reason of their closed sets; the
 * histograms, whose series cost some 70 bucket lines each, get the one series of an ordinary call per configured
 * client and model.
 */
public final class GatewayMetrics {

    private static final String PREFIX = "gemini_gateway.";
    private static final Set<String> FINISH_REASONS = Set.of("STOP", "MAX_TOKENS", "SAFETY", "RECITATION",
            "LANGUAGE", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MALFORMED_FUNCTION_CALL",
            "IMAGE_SAFETY", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "FINISH_REASON_UNSPECIFIED");
    /** Google's reasons for blocking a prompt ({@code promptFeedback.blockReason}). */
    private static final List<String> BLOCK_REASONS = List.of("SAFETY", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT",
            "IMAGE_SAFETY");
    private static final List<String> TOKEN_TYPES = List.of("prompt", "output", "thoughts", "cached");
    /** The attempt statuses the retry rule and the alerts single out (connect_error, timeout, reset: no response). */
    private static final List<String> ATTEMPT_STATUSES = List.of("200", "408", "429", "500", "502", "503", "504",
            "connect_error", "timeout", "reset");

    private final MeterRegistry registry;
    private final ModelTags models;
    private final Set<String> clients;
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final Map<Tags, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<Tags, Timer> ttfbTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> gapTimers = new ConcurrentHashMap<>();
    private final Map<Tags, Timer> durationTimers = new ConcurrentHashMap<>();
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, ModelTags models, Set<String> clients) {
        this.registry = registry;
        this.models = models;
        this.clients = Set.copyOf(clients);
        registry.gauge(PREFIX + "active.streams", activeStreams);
        registerKnownSeries();
    }

    private void registerKnownSeries() {
        for (String model : models.configured()) {
            for (String client : clients) {
                requestTimer(Tags.of("client", client, "model", model, "operation", Operation.GENERATE.tag(),
                        "status", "200", "error_type", ErrorType.NONE.tag()));
                TOKEN_TYPES.forEach(type -> counter("tokens", Tags.of("client", client, "model", model, "type", type)));
            }
            ttfbTimer(Tags.of("model", model, "operation", Operation.GENERATE.tag()));
            gapTimer(model);
            durationTimer(Tags.of("model", model, "outcome", "complete"));
            FINISH_REASONS.forEach(reason -> counter("finish.reasons", Tags.of("model", model, "reason", reason)));
            BLOCK_REASONS.forEach(reason -> counter("safety.blocks", Tags.of("model", model, "reason", reason)));
            ATTEMPT_STATUSES.forEach(status -> counter("upstream.attempts", Tags.of("model", model, "status", status)));
            for (TruncationReason reason : TruncationReason.values()) {
                counter("streams.truncated", Tags.of("model", model, "reason", reason.tag()));
            }
        }
    }

    /** Registers the retry counter, at zero, for each configured model and each of the retry rule's reasons. */
    public void expectRetries(Collection<String> reasons) {
        for (String model : models.configured()) {
            reasons.forEach(reason -> counter("upstream.retries", Tags.of("model", model, "reason", reason)));
        }
    }

    /** Records a finished request: its timer, time to first byte, tokens, finish reasons and safety blocks. */
    public void requestCompleted(RequestRecord record, int status) {
        String model = models.of(record.model());
        String client = clients.contains(record.clientId()) ? record.clientId() : "none";
        Tags tags = Tags.of("client", client, "model", model, "operation", record.operation().tag(),
                "status", Integer.toString(status), "error_type", record.errorType().tag());
        requestTimer(tags).record(record.elapsedNanos(), TimeUnit.NANOSECONDS);
        long ttfb = record.timeToFirstByteNanos();
        if (ttfb >= 0) {
            ttfbTimer(Tags.of("model", model, "operation", record.operation().tag()))
                    .record(ttfb, TimeUnit.NANOSECONDS);
        }
        ResponseFacts facts = record.facts();
        if (facts != null) {
            countFacts(client, model, facts);
        }
        if (record.truncation() != null) {
            counter("streams.truncated", Tags.of("model", model, "reason", record.truncation().tag())).increment();
        }
    }

    /** Counts one upstream attempt; status is the HTTP code or connect_error, timeout, reset. */
    public void upstreamAttempt(String model, String status) {
        counter("upstream.attempts", Tags.of("model", models.of(model), "status", status)).increment();
    }

    public void retry(String model, String reason) {
        counter("upstream.retries", Tags.of("model", models.of(model), "reason", reason)).increment();
    }

    /** Starts timing a stream; the returned meter records its event gaps and its end. */
    public StreamMeter streamStarted(String model) {
        String tag = models.of(model);
        activeStreams.incrementAndGet();
        return new StreamMeter(tag, gapTimer(tag));
    }

    private Timer requestTimer(Tags tags) {
        return requestTimers.computeIfAbsent(tags, t -> Timer.builder(PREFIX + "requests").tags(t)
                .publishPercentileHistogram().register(registry));
    }

    private Timer ttfbTimer(Tags tags) {
        return ttfbTimers.computeIfAbsent(tags, t -> Timer.builder(PREFIX + "upstream.ttfb").tags(t)
                .publishPercentileHistogram().register(registry));
    }

    private Timer gapTimer(String model) {
        return gapTimers.computeIfAbsent(model, m -> Timer.builder(PREFIX + "stream.event.gap")
                .tag("model", m).publishPercentileHistogram().register(registry));
    }

    private Timer durationTimer(Tags tags) {
        return durationTimers.computeIfAbsent(tags, t -> Timer.builder(PREFIX + "stream.duration").tags(t)
                .publishPercentileHistogram().register(registry));
    }

    private void countFacts(String client, String model, ResponseFacts facts) {
        TokenUsage usage = facts.usage();
        if (usage != null) {
            tokens(client, model, "prompt", usage.prompt());
            tokens(client, model, "output", usage.output());
            tokens(client, model, "thoughts", usage.thoughts());
            tokens(client, model, "cached", usage.cached());
        }
        for (String reason : facts.finishReasons()) {
            String tag = FINISH_REASONS.contains(reason) || reason.startsWith("IMAGE_") && reason.length() < 32
                    ? reason : "other";
            counter("finish.reasons", Tags.of("model", model, "reason", tag)).increment();
        }
        if (facts.blockReason() != null) {
            String reason = facts.blockReason().matches("[A-Z_]{1,32}") ? facts.blockReason() : "other";
            counter("safety.blocks", Tags.of("model", model, "reason", reason)).increment();
        }
    }

    private void tokens(String client, String model, String type, long count) {
        if (count > 0) {
            counter("tokens", Tags.of("client", client, "model", model, "type", type)).increment(count);
        }
    }

    private Counter counter(String name, Tags tags) {
        return counters.computeIfAbsent(tags.and("__name", name),
                key -> Counter.builder(PREFIX + name).tags(tags).register(registry));
    }

    /** One stream's meters: the gap between events, and its duration when it ends. */
    public final class StreamMeter {

        private final String model;
        private final Timer gaps;
        private final long startNanos = System.nanoTime();
        private long lastEventNanos = startNanos;
        private boolean ended;

        private StreamMeter(String model, Timer gaps) {
            this.model = model;
            this.gaps = gaps;
        }

        public void event() {
            long now = System.nanoTime();
            gaps.record(now - lastEventNanos, TimeUnit.NANOSECONDS);
            lastEventNanos = now;
        }

        /** Ends the stream with outcome complete, truncated or cancelled; only the first call counts. */
        public synchronized void ended(String outcome) {
            if (ended) {
                return;
            }
            ended = true;
            activeStreams.decrementAndGet();
            durationTimer(Tags.of("model", model, "outcome", outcome))
                    .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
