package io.github.geminigateway.observability;

import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.ResponseFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters, named and tagged as docs/metrics.md promises. Meters are looked up in small caches keyed
 * by their tag values, so the hot path does not rebuild a meter id for every request or stream event.
 */
public final class GatewayMetrics {

    private static final String PREFIX = "gemini_gateway.";
    private static final Set<String> FINISH_REASONS = Set.of("STOP", "MAX_TOKENS", "SAFETY", "RECITATION",
            "LANGUAGE", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MALFORMED_FUNCTION_CALL",
            "IMAGE_SAFETY", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "FINISH_REASON_UNSPECIFIED");

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
    }

    /** Records a finished request: its timer, time to first byte, tokens, finish reasons and safety blocks. */
    public void requestCompleted(RequestRecord record, int status) {
        String model = models.of(record.model());
        String client = clients.contains(record.clientId()) ? record.clientId() : "none";
        Tags tags = Tags.of("client", client, "model", model, "operation", record.operation().tag(),
                "status", Integer.toString(status), "error_type", record.errorType().tag());
        requestTimers.computeIfAbsent(tags, t -> Timer.builder(PREFIX + "requests").tags(t)
                        .publishPercentileHistogram().register(registry))
                .record(record.elapsedNanos(), TimeUnit.NANOSECONDS);
        long ttfb = record.timeToFirstByteNanos();
        if (ttfb >= 0) {
            ttfbTimers.computeIfAbsent(Tags.of("model", model, "operation", record.operation().tag()),
                            t -> Timer.builder(PREFIX + "upstream.ttfb").tags(t).publishPercentileHistogram()
                                    .register(registry))
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
        Timer gaps = gapTimers.computeIfAbsent(tag, m -> Timer.builder(PREFIX + "stream.event.gap")
                .tag("model", m).publishPercentileHistogram().register(registry));
        return new StreamMeter(tag, gaps);
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
            durationTimers.computeIfAbsent(Tags.of("model", model, "outcome", outcome),
                            tags -> Timer.builder(PREFIX + "stream.duration").tags(tags).publishPercentileHistogram()
                                    .register(registry))
                    .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
