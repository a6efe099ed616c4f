package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.geminigateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Without an upstream key and without the demo profile the gateway refuses to start, and says what to set. */
@ExtendWith(OutputCaptureExtension.class)
class MissingUpstreamKeyStartupTest {

    @Test
    void startupFailsAtOnceWithTheAnalyzersMessage(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> {
            // An empty list overrides GEMINI_API_KEY, should the machine running the tests have one set.
            ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class).run(
                    "--server.port=0", "--management.server.port=0", "--gateway.upstream.api-keys=");
            context.close();
        });

        assertThat(failure).as("startup without an upstream key").isNotNull();
        MissingUpstreamKeyException cause = causeOfType(failure, MissingUpstreamKeyException.class);
        assertThat(cause).as("cause chain of %s", failure).isNotNull();

        FailureAnalysis analysis = new MissingUpstreamKeyFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("no upstream Gemini API key");
        assertThat(analysis.getAction()).contains("GEMINI_API_KEY", "gateway.upstream.api-keys",
                "--spring.profiles.active=demo");

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", analysis.getDescription(),
                "GEMINI_API_KEY");
        assertThat(output.getAll()).doesNotContain("Netty started on port");
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
