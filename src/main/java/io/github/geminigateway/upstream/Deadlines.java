package io.github.geminigateway.upstream;

import java.time.Duration;

/**
 * The time bounds of one upstream call, chosen per surface and tier: a flex-tier call or an agent run may take many
 * minutes to its first byte, a standard generate call should not.
 *
 * @param firstByte from sending the request until the upstream response headers arrive
 * @param idle      the longest gap between two reads of the response body
 * @param total     the whole exchange, stream included
 */
public record Deadlines(Duration firstByte, Duration idle, Duration total) {
}
