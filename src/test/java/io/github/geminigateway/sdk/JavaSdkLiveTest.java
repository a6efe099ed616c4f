package io.github.geminigateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendClientContentParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import io.github.geminigateway.simulator.GeminiSimulator;
import io.github.geminigateway.simulator.SimulatorSettings;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.support.TestHttp;
import io.github.geminigateway.support.TestTls;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK's Live client (google-genai 2.0.0, {@code client.async.live.connect}) through the gateway,
 * with the simulator as Google. The SDK always dials {@code wss://}, so the gateway serves its API port over TLS
 * with a test certificate that this JVM trusts (its own surefire execution, pom.xml: upstream-tls).
 *
 * <p>A refused setup is not tested here: the SDK's connect future does not complete on a close that comes before
 * {@code setupComplete} (its OkHttp listener logs {@code onClosing} and waits for the application to close), so the
 * caller sees its own timeout, as it would with Google's own 1008. {@code LiveRelayTest} proves the close code.
 */
class JavaSdkLiveTest {

    private static final String MODEL = "gemini-3.1-flash-live-preview";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static GeminiSimulator simulator;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        TestTls.trustInThisJvm();
        simulator = GeminiSimulator.start(new SimulatorSettings(0, RunningGateway.UPSTREAM_KEY, 3, Duration.ZERO,
                Duration.ZERO));
        // The management port (Prometheus) stays plain HTTP; it would take the API port's TLS otherwise.
        gateway = RunningGateway.start(simulator.baseUrl(), Stream.concat(
                Stream.of(TestTls.serverArgs()), Stream.of("--management.server.ssl.enabled=false"))
                .toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        simulator.close();
    }

    private static Client client(String key) {
        return Client.builder().apiKey(key).httpOptions(HttpOptions.builder()
                .baseUrl("https://127.0.0.1:" + gateway.port()).build()).build();
    }

    @Test
    void aTextTurnRoundTripsAndItsUsageIsCounted() throws Exception {
        List<LiveServerMessage> messages = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> turnDone = new CompletableFuture<>();
        try (Client client = client(RunningGateway.CLIENT_KEY)) {
            AsyncSession session = client.async.live.connect(MODEL, LiveConnectConfig.builder()
                    .responseModalities(Modality.Known.TEXT).build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            session.receive(message -> {
                messages.add(message);
                if (message.serverContent().flatMap(content -> content.turnComplete()).orElse(false)) {
                    turnDone.complete(null);
                }
            });
            session.sendClientContent(LiveSendClientContentParameters.builder()
                    .turns(Content.fromParts(Part.fromText("Hello, live."))).turnComplete(true).build())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            turnDone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            session.close().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        String text = messages.stream()
                .flatMap(message -> message.serverContent().flatMap(content -> content.modelTurn()).stream())
                .flatMap(turn -> turn.parts().orElse(List.of()).stream())
                .map(part -> part.text().orElse("")).reduce("", String::concat);
        assertThat(text).isEqualTo("Hello from the Gemini simulator, live.");
        assertThat(messages).anySatisfy(message ->
                assertThat(message.usageMetadata().flatMap(usage -> usage.responseTokenCount())).contains(9));
        await().atMost(WAIT).untilAsserted(() -> assertThat(TestHttp.prometheus(gateway))
                .containsPattern("gemini_gateway_tokens_total\\{client=\"team-a\",model=\"gemini-3\\.1-flash-live-"
                        + "preview\",type=\"output\"} 9")
                .containsPattern("gemini_gateway_live_session_duration_seconds_count\\{close_code=\"1000\","
                        + "closed_by=\"client\",model=\"gemini-3\\.1-flash-live-preview\"} 1"));
    }
}
