package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 18, item 8: with Spring's web logging at DEBUG, as an operator chasing a problem might set it, a caller's
 * gateway key given as {@code ?key=} appears in no log line (Spring's request line at DEBUG carries the raw query).
 */
@ExtendWith(OutputCaptureExtension.class)
class DebugLoggingKeyTest {

    @Test
    void aKeyInTheQueryIsInNoLogLineEvenWithSpringWebAtDebug(CapturedOutput output) {
        try (FakeGemini upstream = FakeGemini.start();
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(),
                     "--logging.level.org.springframework.web=DEBUG")) {
            RawHttp.Answer answer = RawHttp.send(gateway.baseUrl(), "POST",
                    "/v1beta/models/gemini-2.5-flash:generateContent?key=" + RunningGateway.CLIENT_KEY,
                    Map.of("Content-Type", "application/json"), "{\"contents\": []}".getBytes(StandardCharsets.UTF_8));

            assertThat(answer.status()).isEqualTo(200);
        }
        assertThat(output.getAll()).contains("gateway.access").doesNotContain(RunningGateway.CLIENT_KEY)
                .doesNotContain(RunningGateway.UPSTREAM_KEY);
    }
}
