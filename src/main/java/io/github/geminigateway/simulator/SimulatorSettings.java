package io.github.geminigateway.simulator;

import java.time.Duration;

/**
 * How the built-in Gemini simulator behaves.
 *
 * @param port         the port to listen on, 0 for any free one
 * @param apiKey       the upstream key it accepts, as Google would; null accepts any key
 * @param streamChunks how many events a streamGenerateContent answer has
 * @param chunkDelay   the pause before each stream event, as a model's generation time
 * @param latency      the pause before a unary answer
 */
public record SimulatorSettings(int port, String apiKey, int streamChunks, Duration chunkDelay, Duration latency) {

    public SimulatorSettings {
        if (streamChunks < 1) {
            throw new IllegalArgumentException("a stream needs at least one chunk");
        }
    }

    @Override
    public String toString() {
        return "SimulatorSettings[port=" + port + ", streamChunks=" + streamChunks + ", chunkDelay=" + chunkDelay
                + ", latency=" + latency + "]";
    }
}
