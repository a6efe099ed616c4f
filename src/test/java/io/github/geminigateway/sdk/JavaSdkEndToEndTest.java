package io.github.geminigateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.File;
import com.google.genai.types.FinishReason;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Model;
import com.google.genai.types.UploadFileConfig;
import io.github.geminigateway.simulator.GeminiSimulator;
import io.github.geminigateway.simulator.SimulatorSettings;
import io.github.geminigateway.support.RunningGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Java SDK (google-genai 2.0.0, which calls /v1/...) pointed at the gateway, with the built-in simulator
 * as Google: a service changes only its base URL and key, and everything works as it did against Google.
 */
class JavaSdkEndToEndTest {

    private static final String MODEL = "gemini-2.5-flash";
    private static final String FULL_TEXT = "The sky looks blue because air molecules scatter short blue wavelengths "
            + "of sunlight more strongly than long red ones, an effect called Rayleigh scattering.";

    private static GeminiSimulator simulator;
    private static RunningGateway gateway;
    private static Client client;

    @BeforeAll
    static void start() {
        simulator = GeminiSimulator.start(new SimulatorSettings(0, RunningGateway.UPSTREAM_KEY, 3, Duration.ZERO,
                Duration.ZERO));
        gateway = RunningGateway.start(simulator.baseUrl(),
                "--gateway.clients.team-a.models=gemini-2.5-flash,gemini-embedding-001");
        client = sdkClient(RunningGateway.CLIENT_KEY);
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
        simulator.close();
    }

    @Test
    void generateContent() {
        GenerateContentResponse response = client.models.generateContent(MODEL, "Why is the sky blue?", null);

        assertThat(response.text()).isEqualTo(FULL_TEXT);
        assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        assertThat(response.usageMetadata().flatMap(usage -> usage.totalTokenCount())).hasValueSatisfying(
                total -> assertThat(total).isPositive());
        assertThat(response.modelVersion()).hasValue(MODEL);
        assertThat(response.responseId()).isPresent();
    }

    @Test
    void generateContentStreamReceivesEveryChunkAndTheFinalFinishReason() {
        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (ResponseStream<GenerateContentResponse> stream =
                     client.models.generateContentStream(MODEL, "Why is the sky blue?", null)) {
            stream.forEach(chunks::add);
        }

        assertThat(chunks).hasSize(3);
        assertThat(chunks.stream().map(GenerateContentResponse::text).reduce("", String::concat)).isEqualTo(FULL_TEXT);
        assertThat(chunks.get(2).finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        assertThat(chunks.get(0).candidates().orElseThrow().get(0).finishReason()).isEmpty();
    }

    @Test
    void countTokens() {
        CountTokensResponse response = client.models.countTokens(MODEL, "Why is the sky blue?", null);

        assertThat(response.totalTokens()).hasValueSatisfying(total -> assertThat(total).isPositive());
    }

    @Test
    void embedContent() {
        EmbedContentResponse response = client.models.embedContent("gemini-embedding-001", "Why is the sky blue?",
                null);

        List<ContentEmbedding> embeddings = response.embeddings().orElseThrow();
        assertThat(embeddings).hasSize(1);
        assertThat(embeddings.get(0).values().orElseThrow()).hasSize(8);
    }

    @Test
    void getModel() {
        Model model = client.models.get(MODEL, null);

        assertThat(model.name()).hasValue("models/" + MODEL);
        assertThat(model.inputTokenLimit()).hasValue(1048576);
    }

    @Test
    void uploadAFileThroughTheRewrittenUploadUrl(@TempDir Path directory) throws IOException {
        Path notes = directory.resolve("notes.txt");
        byte[] content = "Rayleigh scattering notes\n".repeat(40).getBytes(StandardCharsets.UTF_8);
        Files.write(notes, content);

        File uploaded = client.files.upload(notes.toString(), UploadFileConfig.builder().mimeType("text/plain")
                .displayName("notes").build());

        assertThat(uploaded.name()).hasValueSatisfying(name -> assertThat(name).startsWith("files/"));
        assertThat(uploaded.sizeBytes()).hasValue((long) content.length);
        assertThat(uploaded.mimeType()).hasValue("text/plain");
        File fetched = client.files.get(uploaded.name().orElseThrow(), null);
        assertThat(fetched.sizeBytes()).hasValue((long) content.length);
    }

    @Test
    void aModelOutsideTheAllowListRaisesTheSdksPermissionDenied() {
        ClientException error = catchThrowableOfType(ClientException.class,
                () -> client.models.generateContent("gemini-2.5-pro", "hi", null));

        assertThat(error.code()).isEqualTo(403);
        assertThat(error.message()).contains("may not use model 'gemini-2.5-pro'");
    }

    @Test
    void anUnknownGatewayKeyRaisesTheSdksUnauthenticated() {
        try (Client stranger = sdkClient("gw-not-a-client-key")) {
            ClientException error = catchThrowableOfType(ClientException.class,
                    () -> stranger.models.generateContent(MODEL, "hi", null));

            assertThat(error.code()).isEqualTo(401);
        }
    }

    private static Client sdkClient(String key) {
        return Client.builder()
                .apiKey(key)
                .vertexAI(false)
                .httpOptions(HttpOptions.builder()
                        .baseUrl(gateway.baseUrl())
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build();
    }
}
