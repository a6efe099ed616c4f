package io.github.geminigateway.simulator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in simulator as the gateway's own upstream ({@code gateway.simulator.*}), which the demo profile turns on.
 *
 * @param enabled       start the simulator in-process and send every upstream call to it instead of Google
 * @param port          the simulator's port, 0 for any free one
 * @param streamChunks  how many events a simulated stream has
 * @param chunkDelay    the pause before each simulated stream event
 * @param demoClientKey the gateway key of the demo client, printed at startup so a newcomer can call the gateway
 */
@ConfigurationProperties("gateway.simulator")
public record SimulatorProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("0") int port,
        @DefaultValue("5") int streamChunks,
        @DefaultValue("200ms") Duration chunkDelay,
        String demoClientKey) {
}
