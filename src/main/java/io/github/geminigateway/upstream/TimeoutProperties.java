package io.github.geminigateway.upstream;

import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The upstream time bounds ({@code gateway.timeouts.*}). Each one ends in a Gemini-shaped outcome: 504
 * DEADLINE_EXCEEDED before the response is committed, a terminal stream error after. The top-level bounds serve
 * ordinary calls; {@code flex} and {@code agent} serve the calls that Google itself says may take minutes.
 *
 * @param connect   TCP and TLS connect to the upstream
 * @param firstByte from sending the request until the upstream response headers arrive
 * @param idle      the longest gap between two reads of a response body, which is what a stall looks like
 * @param total     the whole exchange, stream included
 * @param flex      calls on the flex service tier (Google's latency target: 1 to 15 minutes)
 * @param agent     Interactions calls that run an agent rather than a model, and resumed Interactions streams
 */
@ConfigurationProperties("gateway.timeouts")
public record TimeoutProperties(
        @DefaultValue("5s") Duration connect,
        @DefaultValue("120s") Duration firstByte,
        @DefaultValue("60s") Duration idle,
        @DefaultValue("10m") Duration total,
        Bounds flex,
        Bounds agent) {

    private static final Bounds FLEX = new Bounds(Duration.ofMinutes(16), Duration.ofMinutes(16),
            Duration.ofMinutes(30));
    private static final Bounds AGENT = new Bounds(Duration.ofMinutes(10), Duration.ofMinutes(10),
            Duration.ofMinutes(60));

    public TimeoutProperties {
        flex = flex == null ? FLEX : flex.orElse(FLEX);
        agent = agent == null ? AGENT : agent.orElse(AGENT);
    }

    /** The bounds of an ordinary call. */
    public Deadlines standard() {
        return new Deadlines(firstByte, idle, total);
    }

    public Deadlines flexTier() {
        return flex.deadlines();
    }

    public Deadlines agentRun() {
        return agent.deadlines();
    }

    /** The longest any call may run: what a held stream slot must outlast. */
    public Duration longestTotal() {
        return Stream.of(total, flex.total(), agent.total()).max(Duration::compareTo).orElseThrow();
    }

    /** One set of bounds; a bound left out takes the built-in default of its set. */
    public record Bounds(Duration firstByte, Duration idle, Duration total) {

        Bounds orElse(Bounds defaults) {
            return new Bounds(firstByte != null ? firstByte : defaults.firstByte,
                    idle != null ? idle : defaults.idle, total != null ? total : defaults.total);
        }

        Deadlines deadlines() {
            return new Deadlines(firstByte, idle, total);
        }
    }
}
