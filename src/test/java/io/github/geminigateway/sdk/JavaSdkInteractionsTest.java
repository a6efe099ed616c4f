package io.github.geminigateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.gaos.models.interactions.CreateModelInteraction;
import com.google.genai.gaos.models.interactions.ErrorEvent;
import com.google.genai.gaos.models.interactions.Interaction;
import com.google.genai.gaos.models.interactions.InteractionCompletedEvent;
import com.google.genai.gaos.models.interactions.InteractionSSEEvent;
import com.google.genai.gaos.models.interactions.InteractionSSEStreamEvent;
import com.google.genai.gaos.models.interactions.InteractionsInput;
import com.google.genai.gaos.models.interactions.StepDelta;
import com.google.genai.gaos.models.interactions.TextDelta;
import com.google.genai.gaos.models.interactions.Usage;
import com.google.genai.gaos.models.operations.CreateInteractionRequestBody;
import com.google.genai.gaos.utils.EventStream;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
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
 * The official Java SDK's Interactions client (google-genai 2.0.0, {@code client.interactions}) through the gateway,
 * changing nothing but its base URL and key: a unary and a streamed interaction against the built-in simulator, a
 * model the client may not use, and a stream the upstream ends before {@code interaction.completed}, which the SDK
 * hands to the caller as an {@code ErrorEvent} (it raises only on a broken connection; Google's own error events
 * reach callers the same way).
 */
class JavaSdkInteractionsTest {

    private static GeminiSimulator simulator;
    private static FakeGemini fake;
    private static RunningGateway viaSimulator;
    private static RunningGateway viaFake;

    @BeforeAll
    static void start() {
        simulator = GeminiSimulator.start(new SimulatorSettings(0, RunningGateway.UPSTREAM_KEY, 3, Duration.ZERO,
                Duration.ZERO));
        viaSimulator = RunningGateway.start(simulator.baseUrl(), "--gateway.clients.team-a.models[0]=gemini-2.5-flash");
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
    void aUnaryInteractionReturnsTheInteractionWithItsUsage() {
        try (Client client = client(viaSimulator)) {
            Interaction interaction = client.interactions.create(request("gemini-2.5-flash", false))
                    .interaction().orElseThrow();

            assertThat(interaction.status().orElseThrow().value()).isEqualTo("completed");
            assertThat(interaction.outputText()).hasValueSatisfying(text -> assertThat(text).contains("Rayleigh"));
            assertThat(interaction.usage().flatMap(Usage::totalTokens)).hasValueSatisfying(total ->
                    assertThat(total).isPositive());
        }
    }

    @Test
    void aStreamedInteractionYieldsItsDeltasAndCompletes() throws Exception {
        try (Client client = client(viaSimulator)) {
            List<InteractionSSEEvent> events = events(client, request("gemini-2.5-flash", true));

            StringBuilder text = new StringBuilder();
            events.stream().filter(StepDelta.class::isInstance).map(StepDelta.class::cast)
                    .forEach(delta -> delta.delta().filter(TextDelta.class::isInstance)
                            .flatMap(d -> ((TextDelta) d).text()).ifPresent(text::append));
            assertThat(text.toString()).contains("Rayleigh scattering");
            assertThat(events.get(events.size() - 1)).isInstanceOf(InteractionCompletedEvent.class);
            assertThat(events).noneMatch(ErrorEvent.class::isInstance);
        }
    }

    @Test
    void aModelTheClientMayNotUseIsRefusedWithA403() {
        try (Client client = client(viaSimulator)) {
            Throwable refused = catchThrowable(() -> client.interactions.create(request("gemini-2.5-pro", false)));

            assertThat(refused).isInstanceOf(ApiException.class);
            assertThat(((ApiException) refused).code()).isEqualTo(403);
        }
    }

    @Test
    void aStreamEndedBeforeCompletionReachesTheCallerAsAnErrorEvent() throws Exception {
        fake.enqueue(Reply.sse(Flux.just("event: interaction.created\ndata: {\"event_type\":\"interaction.created\","
                + "\"event_id\":\"e1\",\"interaction\":{\"id\":\"i-1\",\"status\":\"in_progress\"}}\n\n",
                "event: step.delta\ndata: {\"event_type\":\"step.delta\",\"event_id\":\"e2\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text\",\"text\":\"The sky\"}}\n\n")));

        try (Client client = client(viaFake)) {
            List<InteractionSSEEvent> events = events(client, request("gemini-3.6-flash", true));

            assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ErrorEvent.class, error -> {
                assertThat(error.error().orElseThrow().code()).hasValue("UNAVAILABLE");
                assertThat(error.error().orElseThrow().message()).hasValueSatisfying(message ->
                        assertThat(message).contains("before interaction.completed"));
            });
        }
    }

    private static List<InteractionSSEEvent> events(Client client, CreateInteractionRequestBody request)
            throws Exception {
        List<InteractionSSEEvent> events = new ArrayList<>();
        try (EventStream<InteractionSSEStreamEvent> stream = client.interactions.create(request).events()) {
            for (InteractionSSEStreamEvent event : stream) {
                events.add(event.data().orElseThrow());
            }
        }
        return events;
    }

    private static CreateInteractionRequestBody request(String model, boolean stream) {
        CreateModelInteraction.Builder body = CreateModelInteraction.builder().model(model)
                .input(InteractionsInput.of("Why is the sky blue?"));
        return CreateInteractionRequestBody.of(stream ? body.stream(true).build() : body.build());
    }

    private static Client client(RunningGateway gateway) {
        return Client.builder().apiKey(RunningGateway.CLIENT_KEY)
                .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
                .build();
    }
}
