package io.github.geminigateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.github.geminigateway.simulator.GeminiSimulator;
import io.github.geminigateway.simulator.SimulatorSettings;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.RunningGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The official OpenAI Java SDK (openai-java 4.105.0) through the gateway's OpenAI-compatible route, changing nothing
 * but its base URL and key: a chat, a chat stream and embeddings against the built-in simulator (which, like
 * Google's route, refuses a request with two credentials); a bad key, a model the client may not use and a spent
 * token limit raise the SDK's exception classes for them; and a stream the upstream ends without finish_reason
 * raises {@code SseException} instead of ending quietly. Retries are off so that each call is one request.
 */
class OpenAiJavaSdkTest {

    private static final String MODEL = "gemini-2.5-flash";
    private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gemini-2.5-flash\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"The sky\"},\"finish_reason\":null}]}\n\n";

    private static GeminiSimulator simulator;
    private static FakeGemini fake;
    private static RunningGateway viaSimulator;
    private static RunningGateway viaFake;

    @BeforeAll
    static void start() {
        simulator = GeminiSimulator.start(new SimulatorSettings(0, RunningGateway.UPSTREAM_KEY, 3, Duration.ZERO,
                Duration.ZERO));
        viaSimulator = RunningGateway.start(simulator.baseUrl(),
                "--gateway.clients.team-a.models[0]=" + MODEL,
                "--gateway.clients.team-a.models[1]=gemini-embedding-001",
                RunningGateway.clientArg("metered"), "--gateway.clients.metered.requests-per-minute=1");
        fake = FakeGemini.start();
        viaFake = RunningGateway.start(fake.baseUrl());
    }

    @AfterAll
    static void stop() {
        viaSimulator.close();
        viaFake.close();
        simulator.close();
        fake.close();
    }

    @Test
    void aChatCompletionComesBackWithItsUsage() {
        ChatCompletion completion = client(viaSimulator, RunningGateway.CLIENT_KEY).chat().completions()
                .create(chat(MODEL).build());

        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(text ->
                assertThat(text).contains("Rayleigh"));
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isPositive());
    }

    @Test
    void aChatStreamYieldsItsDeltasTheFinishReasonAndTheUsage() {
        List<String> deltas = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        ChatCompletionCreateParams params = chat(MODEL)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        try (StreamResponse<ChatCompletionChunk> stream = client(viaSimulator, RunningGateway.CLIENT_KEY).chat()
                .completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> {
                    choice.delta().content().ifPresent(deltas::add);
                    choice.finishReason().ifPresent(reason -> finishes.add(reason.asString()));
                });
                chunk.usage().ifPresent(usage -> totals.add(usage.totalTokens()));
            });
        }

        assertThat(deltas).hasSize(3);
        assertThat(String.join("", deltas)).contains("Rayleigh scattering");
        assertThat(finishes).containsExactly("stop");
        assertThat(totals).singleElement().satisfies(total -> assertThat(total).isPositive());
    }

    @Test
    void embeddingsComeBack() {
        CreateEmbeddingResponse embeddings = client(viaSimulator, RunningGateway.CLIENT_KEY).embeddings()
                .create(EmbeddingCreateParams.builder().model("gemini-embedding-001").input("Hello").build());

        assertThat(embeddings.data().get(0).embedding()).isNotEmpty();
    }

    @Test
    void aBadKeyRaisesUnauthorizedException() {
        Throwable thrown = catchThrowable(() -> client(viaSimulator, "gw-not-a-key").chat().completions()
                .create(chat(MODEL).build()));

        assertThat(thrown).isInstanceOf(UnauthorizedException.class);
        UnauthorizedException unauthorized = (UnauthorizedException) thrown;
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.code()).hasValue("UNAUTHENTICATED");
        assertThat(unauthorized.type()).hasValue("authentication_error");
        assertThat(unauthorized.getMessage()).doesNotContain(RunningGateway.UPSTREAM_KEY);
    }

    @Test
    void aModelTheClientMayNotUseRaisesPermissionDeniedException() {
        Throwable thrown = catchThrowable(() -> client(viaSimulator, RunningGateway.CLIENT_KEY).chat().completions()
                .create(chat("gemini-2.5-pro").build()));

        assertThat(thrown).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("may not use model 'gemini-2.5-pro'");
    }

    @Test
    void aSpentLimitRaisesRateLimitExceptionWithRetryAfter() {
        OpenAIClient metered = client(viaSimulator, "metered-key");
        metered.chat().completions().create(chat(MODEL).build());

        Throwable thrown = catchThrowable(() -> metered.chat().completions().create(chat(MODEL).build()));

        assertThat(thrown).isInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) thrown).headers().values("Retry-After")).singleElement()
                .satisfies(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
    }

    @Test
    void aStreamEndedWithoutFinishReasonRaisesSseExceptionAfterTheDeltasThatCame() {
        fake.enqueue(Reply.sse(Flux.just(CHUNK)));
        List<String> deltas = new ArrayList<>();

        Throwable thrown;
        try (StreamResponse<ChatCompletionChunk> stream = client(viaFake, RunningGateway.CLIENT_KEY).chat()
                .completions().createStreaming(chat(MODEL).build())) {
            thrown = catchThrowable(() -> stream.stream().forEach(chunk ->
                    chunk.choices().forEach(choice -> choice.delta().content().ifPresent(deltas::add))));
        }

        assertThat(deltas).containsExactly("The sky");
        assertThat(thrown).isInstanceOf(SseException.class);
        SseException error = (SseException) thrown;
        assertThat(error.code()).hasValue("UNAVAILABLE");
        assertThat(error.getMessage()).contains("finish_reason", "request id");
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Why is the sky blue?");
    }

    private static OpenAIClient client(RunningGateway gateway, String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(gateway.baseUrl() + "/v1beta/openai")
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }
}
