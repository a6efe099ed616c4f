package io.github.geminigateway.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the simulator as a process of its own, for benchmarks:
 * {@code java -jar gemini-gateway.jar simulator --port=9090 --chunks=5 --chunk-delay-ms=1000 --latency-ms=0}.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("usage: simulator [--port=9090] [--chunks=5] [--chunk-delay-ms=200] "
                        + "[--latency-ms=0] [--api-key=KEY]");
                System.exit(2);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        SimulatorSettings settings = new SimulatorSettings(
                Integer.parseInt(options.getOrDefault("port", "9090")),
                options.get("api-key"),
                Integer.parseInt(options.getOrDefault("chunks", "5")),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("chunk-delay-ms", "200"))),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "0"))));
        GeminiSimulator simulator = GeminiSimulator.start(settings);
        System.out.println("Gemini simulator listening on " + simulator.baseUrl() + " " + settings);
        Thread.currentThread().join();
    }
}
