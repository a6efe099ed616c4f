package io.github.geminigateway;

import io.github.geminigateway.simulator.SimulatorMain;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Gemini gateway. {@code java -jar gemini-gateway.jar} runs the gateway; {@code java -jar gemini-gateway.jar
 * simulator ...} runs only the built-in Gemini simulator, as a benchmark upstream.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("simulator")) {
            SimulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
