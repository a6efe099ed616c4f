package io.github.geminigateway.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static io.github.geminigateway.support.TestHttp.json;
import static io.github.geminigateway.support.TestHttp.prometheus;
import static io.github.geminigateway.support.TestHttp.send;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.support.StreamingCall;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The Interactions API through a whole gateway, against a stand-in that speaks Google's Interactions stream dialect:
 * events relayed unchanged and one by one, every broken stream ended by exactly one Interactions error event, the
 * model (or agent) in the body governed like a model in the path, the headers Google's samples send, the usage
 * settling the client's token limit, and creates never retried once Google may have accepted them.
 */
class InteractionsRelayTest {

    private static final String ALLOWED = "gemini-3.6-flash";
    private static final String NOT_ALLOWED = "gemini-3.1-pro-preview";
    private static final String AGENT = "deep-research-preview-04-2026";
    private static final long IDLE_MILLIS = 500;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Pattern ERROR_EVENT = Pattern.compile("event: error\ndata: (\\{.*})\n\n");

    private static final String CREATED = event("interaction.created", "e1", "\"interaction\":{\"id\":\"int-1\","
            + "\"status\":\"in_progress\",\"model\":\"gemini-3.6-flash\"}");
    private static final String DELTA = event("step.delta", "e2", "\"index\":0,\"delta\":{\"type\":\"text\","
            + "\"text\":\"The sky is blue.\"}");
    private static final String COMPLETED = event("interaction.completed", "e3", "\"interaction\":{\"id\":\"int-1\","
            + "\"status\":\"completed\",\"usage\":{\"total_input_tokens\":300,\"total_output_tokens\":900,"
            + "\"total_thought_tokens\":300,\"total_tokens\":1500}}");
    private static final String RESOURCE = "{\"id\":\"int-1\",\"status\":\"completed\",\"model\":\"gemini-3.6-flash\","
            + "\"outputs\":[{\"type\":\"text\",\"text\":\"The sky is blue.\"}],\"usage\":{\"total_input_tokens\":300,"
            + "\"total_output_tokens\":900,\"total_thought_tokens\":300,\"total_tokens\":1500}}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.clients.team-a.models[0]=" + ALLOWED,
                "--gateway.clients.team-a.agents[0]=" + AGENT,
                RunningGateway.clientArg("metered"), "--gateway.clients.metered.tokens-per-minute=1000",
                RunningGateway.clientArg("background"), "--gateway.clients.background.tokens-per-minute=1000",
                "--gateway.limits.output-token-estimate=400",
                "--gateway.retry.initial-backoff=10ms",
                "--gateway.retry.max-backoff=50ms",
                "--gateway.timeouts.idle=" + IDLE_MILLIS + "ms");
    private static final FakeGemini upstream = gateway.upstream();
    private int before;

    @BeforeEach
    void forgetLeftovers() {
        before = upstream.requests().size();
    }

    @Test
    void aStreamedInteractionIsRelayedEventByEventWithItsEventAndIdLinesUnchanged() {
        Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
        upstream.enqueue(Reply.sse(events.asFlux()));
        String withId = "event: step.delta\nid: e2\ndata: {\"event_type\":\"step.delta\",\"event_id\":\"e2\","
                + "\"index\":0,\"delta\":{\"type\":\"text\",\"text\":\"Hi\"}}\n\n";

        StreamingCall call = StreamingCall.start(gateway.baseUrl() + "/v1beta/interactions", streamCreate(ALLOWED));
        events.tryEmitNext(CREATED);
        // The upstream holds the rest back until the caller has the first event: nothing is buffered.
        await().atMost(BOUND).until(() -> call.received().equals(CREATED));
        assertThat(call.completed()).isFalse();
        events.tryEmitNext(withId);
        await().atMost(BOUND).until(() -> call.received().equals(CREATED + withId));
        events.tryEmitNext(COMPLETED);
        events.tryEmitComplete();

        await().atMost(BOUND).until(call::completed);
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.contentType()).startsWith("text/event-stream");
        assertThat(call.received()).isEqualTo(CREATED + withId + COMPLETED);
    }

    @Test
    void aStreamCutMidwayEndsInOneInteractionsErrorEvent() {
        upstream.enqueue(Reply.sseThenReset(CREATED + DELTA));

        HttpResponse<String> answer = create(streamCreate(ALLOWED));

        JsonNode error = onlyErrorEventAfter(CREATED + DELTA, answer.body());
        assertThat(error.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.at("/error/message").asText()).contains("closed the stream before it finished");
        assertThat(upstream.requests()).hasSize(before + 1);
    }

    @Test
    void anEndOfStreamBeforeInteractionCompletedIsAnErrorEventNotACleanEnd() {
        upstream.enqueue(Reply.sse(Flux.just(CREATED, DELTA)));

        HttpResponse<String> answer = create(streamCreate(ALLOWED));

        JsonNode error = onlyErrorEventAfter(CREATED + DELTA, answer.body());
        assertThat(error.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.at("/error/message").asText()).contains("before interaction.completed");
    }

    @Test
    void aStalledStreamEndsInADeadlineExceededErrorEvent() {
        upstream.enqueue(Reply.sse(Flux.concat(Flux.just(CREATED), Flux.never())));

        HttpResponse<String> answer = create(streamCreate(ALLOWED));

        JsonNode error = onlyErrorEventAfter(CREATED, answer.body());
        assertThat(error.at("/error/code").asText()).isEqualTo("DEADLINE_EXCEEDED");
    }

    @Test
    void googlesOwnErrorEventEndsTheStreamOnceWithTheKeyRedacted() {
        String upstreamError = "event: error\ndata: {\"event_type\":\"error\",\"error\":{\"code\":\"INTERNAL\","
                + "\"message\":\"Backend failed for " + RunningGateway.UPSTREAM_KEY + "\"}}\n\n";
        upstream.enqueue(Reply.sse(Flux.just(CREATED, upstreamError, DELTA)));

        HttpResponse<String> answer = create(streamCreate(ALLOWED));

        JsonNode error = onlyErrorEventAfter(CREATED, answer.body());
        assertThat(error.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(error.at("/error/message").asText()).contains("Backend failed for [REDACTED]");
        assertThat(answer.body()).doesNotContain(RunningGateway.UPSTREAM_KEY).doesNotContain("The sky is blue");
    }

    @Test
    void aMalformedEventEndsTheStreamInAnErrorEvent() {
        upstream.enqueue(Reply.sse(Flux.just(CREATED, "event: step.delta\ndata: {\"event_type\":\n\n", COMPLETED)));

        HttpResponse<String> answer = create(streamCreate(ALLOWED));

        JsonNode error = onlyErrorEventAfter(CREATED, answer.body());
        assertThat(error.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.at("/error/message").asText()).contains("malformed stream event");
    }

    @Test
    void aDoneSentinelAfterCompletionIsACleanEndAndBeforeItAnError() {
        String done = "data: [DONE]\n\n";
        upstream.enqueue(Reply.sse(Flux.just(CREATED, COMPLETED, done)), Reply.sse(Flux.just(CREATED, done)));

        assertThat(create(streamCreate(ALLOWED)).body()).isEqualTo(CREATED + COMPLETED + done);
        onlyErrorEventAfter(CREATED, create(streamCreate(ALLOWED)).body());
    }

    @Test
    void aFinalEventTheUpstreamLeftUnterminatedStillReachesTheCallerAsAnEvent() {
        String unterminated = COMPLETED.substring(0, COMPLETED.length() - 1);
        upstream.enqueue(Reply.sse(Flux.just(CREATED, unterminated)));

        assertThat(create(streamCreate(ALLOWED)).body()).isEqualTo(CREATED + COMPLETED);
    }

    @Test
    void aBodyModelTheClientMayNotUseIsRefusedBeforeAnythingGoesUpstream() {
        HttpResponse<String> interaction = create("{\"model\":\"" + NOT_ALLOWED + "\",\"input\":\"Hi\"}");
        HttpResponse<String> prefixed = create("{\"model\":\"models/" + NOT_ALLOWED + "\",\"input\":\"Hi\"}");
        HttpResponse<String> agent = create("{\"agent\":\"antigravity-preview-05-2026\",\"input\":\"Hi\"}");
        HttpResponse<String> cache = post("/v1beta/cachedContents", RunningGateway.CLIENT_KEY,
                "{\"model\":\"models/" + NOT_ALLOWED + "\",\"contents\":[]}");
        HttpResponse<String> batch = post("/v1beta/models/" + ALLOWED + ":batchGenerateContent",
                RunningGateway.CLIENT_KEY, "{\"batch\":{\"model\":\"models/" + NOT_ALLOWED + "\",\"inputConfig\":{}}}");

        HttpResponse<String> agentDefinition = post("/v1beta/agents", RunningGateway.CLIENT_KEY,
                "{\"model\":\"" + NOT_ALLOWED + "\"}");
        HttpResponse<String> otherCreate = post("/v1beta/interactions:create", RunningGateway.CLIENT_KEY,
                "{\"model\":\"" + NOT_ALLOWED + "\"}");
        HttpResponse<String> token = post("/v1alpha/auth_tokens", RunningGateway.CLIENT_KEY, "{\"uses\":1}");

        for (HttpResponse<String> refused : List.of(interaction, prefixed, agent, cache, batch, agentDefinition,
                otherCreate, token)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json(refused.body()).at("/error/status").asText()).isEqualTo("PERMISSION_DENIED");
        }
        assertThat(json(agent.body()).at("/error/message").asText()).contains("may not use agent");
        assertThat(upstream.requests()).as("nothing went upstream").hasSize(before);
    }

    @Test
    void anAllowedModelOrAgentInTheBodyGoesThroughAndAMalformedOrDuplicatedOneIsA400() {
        upstream.enqueue(Reply.json(200, RESOURCE), Reply.json(200, RESOURCE));

        assertThat(create("{\"model\":\"models/" + ALLOWED + "\",\"input\":\"Hi\"}").statusCode()).isEqualTo(200);
        assertThat(create("{\"agent\":\"" + AGENT + "\",\"input\":\"Hi\",\"background\":true}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> duplicated = create("{\"model\":\"" + ALLOWED + "\",\"model\":\"" + NOT_ALLOWED + "\"}");
        HttpResponse<String> malformed = create("{\"model\":\"../" + ALLOWED + "\"}");
        HttpResponse<String> listed = create("{\"model\":[\"" + NOT_ALLOWED + "\"],\"input\":\"Hi\"}");
        HttpResponse<String> unnamed = create("{\"input\":\"Hi\"}");

        for (HttpResponse<String> refused : List.of(duplicated, malformed, listed, unnamed)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        }
        assertThat(json(duplicated.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(upstream.requests()).hasSize(before + 2);
    }

    @Test
    void apiRevisionAndTheCallersAcceptReachGoogleAndTheServedTierComesBack() throws InterruptedException {
        upstream.enqueue((request, response) -> response.status(200).header("Content-Type", "text/event-stream")
                .header("x-gemini-service-tier", "flex")
                .sendString(Flux.just(CREATED, COMPLETED), StandardCharsets.UTF_8));

        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1beta/interactions"))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).header("Content-Type", "application/json")
                .header("Api-Revision", "2026-05-20").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(streamCreate(ALLOWED))));

        RecordedRequest sent = upstream.awaitRequest(BOUND);
        assertThat(sent.headers().getAll("Api-Revision")).containsExactly("2026-05-20");
        assertThat(sent.headers().getAll("Accept")).containsExactly("text/event-stream");
        assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(RunningGateway.UPSTREAM_KEY);
        assertThat(sent.uri()).isEqualTo("/v1beta/interactions");
        assertThat(answer.headers().firstValue("x-gemini-service-tier")).hasValue("flex");
        assertThat(answer.body()).isEqualTo(CREATED + COMPLETED);
    }

    @Test
    void theUsageOfAUnaryInteractionSettlesTheClientsTokenLimit() {
        upstream.enqueue(Reply.json(200, RESOURCE));

        assertThat(post("/v1beta/interactions", "metered-key", unaryCreate(ALLOWED)).statusCode()).isEqualTo(200);
        HttpResponse<String> next = post("/v1beta/interactions", "metered-key", unaryCreate(ALLOWED));

        assertThat(next.statusCode()).as("1000 - 1500: in debt").isEqualTo(429);
        assertThat(json(next.body()).at("/error/details/0/violations/0/quotaId").asText())
                .isEqualTo("GatewayClientTokensPerMinute");
        assertThat(upstream.requests()).hasSize(before + 1);
    }

    @Test
    void aBackgroundInteractionWithoutUsageYetKeepsItsReservation() {
        String running = "{\"id\":\"int-2\",\"status\":\"in_progress\",\"model\":\"gemini-3.6-flash\"}";
        upstream.enqueue(Reply.json(200, running), Reply.json(200, running), Reply.json(200, running));
        String background = "{\"model\":\"" + ALLOWED + "\",\"input\":\"Hi\",\"background\":true}";

        assertThat(post("/v1beta/interactions", "background-key", background).statusCode()).isEqualTo(200);
        assertThat(post("/v1beta/interactions", "background-key", background).statusCode()).isEqualTo(200);
        HttpResponse<String> third = post("/v1beta/interactions", "background-key", background);

        assertThat(third.statusCode()).as("two estimates of about 415 tokens kept out of 1000").isEqualTo(429);
    }

    @Test
    void aCreateIsNotRetriedOnA503ButAGetIs() {
        String unavailable = "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                + "\"status\":\"UNAVAILABLE\"}}";
        upstream.enqueue(Reply.json(503, unavailable), Reply.json(200, RESOURCE));

        HttpResponse<String> created = create("{\"model\":\"" + ALLOWED + "\",\"input\":\"Hi\"}");

        assertThat(created.statusCode()).isEqualTo(503);
        assertThat(upstream.requests()).as("one attempt: Google may have stored it").hasSize(before + 1);

        upstream.forgetPending();
        upstream.enqueue(Reply.json(503, unavailable), Reply.json(200, RESOURCE));
        HttpResponse<String> got = send(HttpRequest.newBuilder(uri("/v1beta/interactions/int-1"))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).GET());

        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).as("the get was retried").hasSize(before + 3);
    }

    @Test
    void aResumedStreamIsGuardedInTheInteractionsDialectWithItsQueryKept() throws InterruptedException {
        upstream.enqueue(Reply.sse(Flux.just(DELTA)));

        HttpResponse<String> resumed = send(HttpRequest.newBuilder(
                        uri("/v1beta/interactions/int-1?stream=true&last_event_id=e1"))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).header("Accept", "text/event-stream").GET());

        assertThat(upstream.awaitRequest(BOUND).uri())
                .isEqualTo("/v1beta/interactions/int-1?stream=true&last_event_id=e1");
        onlyErrorEventAfter(DELTA, resumed.body());
    }

    @Test
    void interactionCallsAreTaggedWithTheirOwnOperations() {
        upstream.enqueue(Reply.sse(Flux.just(CREATED, COMPLETED)), Reply.json(200, RESOURCE),
                Reply.json(200, "{}"));
        create(streamCreate(ALLOWED));
        send(HttpRequest.newBuilder(uri("/v1beta/interactions/int-1:cancel"))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).POST(HttpRequest.BodyPublishers.noBody()));
        send(HttpRequest.newBuilder(uri("/v1beta/interactions/int-1"))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).DELETE());

        // A request is counted when its exchange has ended, which may be just after the caller has its answer.
        await().atMost(BOUND).untilAsserted(() -> assertThat(prometheus(gateway))
                .contains("operation=\"interaction_stream\"", "operation=\"interaction_cancel\"",
                        "operation=\"interaction_delete\""));
    }

    /** The body holds exactly the expected events, then exactly one Interactions error event; returns its JSON. */
    private static JsonNode onlyErrorEventAfter(String expectedEvents, String body) {
        assertThat(body).startsWith(expectedEvents);
        String rest = body.substring(expectedEvents.length());
        Matcher matcher = ERROR_EVENT.matcher(rest);
        assertThat(matcher.matches()).as("one error event, and nothing else, after the good ones: %s", rest).isTrue();
        JsonNode error = json(matcher.group(1));
        assertThat(error.get("event_type").asText()).isEqualTo("error");
        assertThat(error.at("/error/code").isTextual()).as("an Interactions error code is a string").isTrue();
        assertThat(error.at("/error/message").asText()).contains("request id");
        return error;
    }

    private static String event(String type, String id, String fields) {
        return "event: " + type + "\ndata: {\"event_type\":\"" + type + "\",\"event_id\":\"" + id + "\"," + fields
                + "}\n\n";
    }

    private static String streamCreate(String model) {
        return "{\"model\":\"" + model + "\",\"input\":\"Why is the sky blue?\",\"stream\":true}";
    }

    private static String unaryCreate(String model) {
        return "{\"model\":\"" + model + "\",\"input\":\"Why is the sky blue?\"}";
    }

    private static HttpResponse<String> create(String body) {
        return post("/v1beta/interactions", RunningGateway.CLIENT_KEY, body);
    }

    private static HttpResponse<String> post(String path, String key, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("x-goog-api-key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(String path) {
        return URI.create(gateway.baseUrl() + path);
    }
}
