package io.github.geminigateway.live;

import io.github.geminigateway.observability.ModelTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Live API's meters: sessions open now, each session's duration by how it closed, and frames and bytes each
 * way. Every tag has a closed set of values: the model through {@link ModelTags}, the close code through
 * {@link CloseCodes#tag}, the side that closed and the direction by construction.
 */
final class LiveMetrics {

    private static final String PREFIX = "gemini_gateway.live.";

    private final MeterRegistry registry;
    private final ModelTags models;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Tags, Timer> durations = new ConcurrentHashMap<>();
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();

    LiveMetrics(MeterRegistry registry, ModelTags models) {
        this.registry = registry;
        this.models = models;
        registry.gauge(PREFIX + "sessions.active", open);
    }

    /** A session was upgraded; its meters, for the model its setup names once it is known. */
    SessionMeter opened() {
        open.incrementAndGet();
        return new SessionMeter();
    }

    /** One session's meters. Frame counters are looked up once per session, not per frame. */
    final class SessionMeter {

        private final long startNanos = System.nanoTime();
        private String model;
        private Counter framesUp;
        private Counter bytesUp;
        private Counter framesDown;
        private Counter bytesDown;
        private boolean ended;

        private SessionMeter() {
            model(null);
        }

        /** The model the setup named (none before it): the frame counters are the model's from here on. */
        void model(String id) {
            this.model = models.of(id);
            framesUp = counter("frames", "client_to_upstream");
            bytesUp = counter("bytes", "client_to_upstream");
            framesDown = counter("frames", "upstream_to_client");
            bytesDown = counter("bytes", "upstream_to_client");
        }

        void toUpstream(int bytes) {
            framesUp.increment();
            bytesUp.increment(bytes);
        }

        void toClient(int bytes) {
            framesDown.increment();
            bytesDown.increment(bytes);
        }

        /** The session ended with this close code, sent or received by that side; only the first call counts. */
        synchronized void closed(int code, CloseSide side) {
            if (ended) {
                return;
            }
            ended = true;
            open.decrementAndGet();
            durations.computeIfAbsent(Tags.of("model", model, "close_code", CloseCodes.tag(code), "closed_by",
                            side.tag()),
                    tags -> Timer.builder(PREFIX + "session.duration").tags(tags).publishPercentileHistogram()
                            .description("Live API sessions, by how they closed").register(registry))
                    .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }

        private Counter counter(String name, String direction) {
            Tags tags = Tags.of("model", model, "direction", direction);
            return counters.computeIfAbsent(tags.and("__name", name), key -> Counter.builder(PREFIX + name)
                    .tags(tags).baseUnit(name.equals("bytes") ? "bytes" : null).register(registry));
        }
    }
}
