package io.github.geminigateway.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The upstream time bounds ({@code gateway.timeouts.*}). Each one ends in a Gemini-shaped outcome: 504
 * DEADLINE_EXCEEDED before the response is committed, a terminal stream error after.
 *
 * @param connect   TCP and TLS connect to the upstream
 * @param firstByte from sending the request until the upstream response headers arrive
 * @param idle      the longest gap between two reads of a response body, which is what a stall looks like
 * @param total     the whole exchange, stream included
 */
@ConfigurationProperties("gateway.timeouts")
public record TimeoutProperties(
        @DefaultValue("5s") Duration connect,
        @DefaultValue("120s") Duration firstByte,
        @DefaultValue("60s") Duration idle,
        @DefaultValue("10m") Duration total) {
}
