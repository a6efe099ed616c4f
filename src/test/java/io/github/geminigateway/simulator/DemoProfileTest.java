package io.github.geminigateway.simulator;

import static io.github.geminigateway.error.GeminiErrorAssert.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.GatewayApplication;
import io.github.geminigateway.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo profile runs the gateway on a fresh machine, with no Google key, against the built-in simulator. */
@ExtendWith(OutputCaptureExtension.class)
class DemoProfileTest {

    private static final String DEMO_KEY = "gw-demo-key";
    private static final byte[] PROMPT = "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}"
            .getBytes(StandardCharsets.UTF_8);

    private static ConfigurableApplicationContext demo;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        demo = new SpringApplicationBuilder(GatewayApplication.class).run("--spring.profiles.active=demo",
                "--server.port=0", "--management.server.port=0", "--gateway.simulator.chunk-delay=20ms");
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) demo).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void answersGenerateContentWithTheDemoKey() {
        RawHttp.Answer answer = post("/v1beta/models/gemini-2.5-flash:generateContent", DEMO_KEY);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = parse(answer.text());
        assertThat(body.at("/candidates/0/content/parts/0/text").asText()).isNotBlank();
        assertThat(body.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        assertThat(body.at("/usageMetadata/totalTokenCount").asInt()).isPositive();
        assertThat(body.at("/modelVersion").asText()).isEqualTo("gemini-2.5-flash");
        assertThat(body.at("/responseId").asText()).isNotBlank();
    }

    @Test
    void answersAStreamWithTheDemoKey() {
        RawHttp.Answer answer = post("/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse", DEMO_KEY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().getFirst("Content-Type")).startsWith("text/event-stream");
        List<String> events = Arrays.asList(answer.text().split("\r\n\r\n"));
        assertThat(events).hasSize(5).allMatch(event -> event.startsWith("data: {"));
        JsonNode last = parse(events.get(4).substring("data: ".length()));
        assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        assertThat(last.at("/usageMetadata/candidatesTokenCount").asInt()).isPositive();
        assertThat(parse(events.get(0).substring("data: ".length())).at("/candidates/0/finishReason").isMissingNode())
                .isTrue();
    }

    @Test
    void refusesAnyOtherKey() {
        assertThat(post("/v1beta/models/gemini-2.5-flash:generateContent", "gw-not-the-demo-key").status())
                .isEqualTo(401);
    }

    @Test
    void printsTheDemoKeyAtStartup(CapturedOutput output) {
        assertThat(output.getAll()).contains("Demo mode", "'" + DEMO_KEY + "'");
    }

    private static RawHttp.Answer post(String path, String key) {
        return RawHttp.send(baseUrl, "POST", path, Map.of("x-goog-api-key", key, "Content-Type", "application/json"),
                PROMPT);
    }
}
