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
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The OpenAI-compatible route through a whole gateway, as the OpenAI SDKs call it: the gateway key as
 * {@code Authorization: Bearer}, exactly one upstream credential (the stand-in here refuses a request that carries
 * two, as Google's route has), the body's model governed, chunks relayed one by one and every broken stream ended by
 * one {@code data: {"error":...}} chunk, errors in OpenAI's shape with the status the SDKs pick their exception by,
 * and the usage settling the client's token limit.
 */
class OpenAiRouteTest {

    private static final String ALLOWED = "gemini-3.6-flash";
    private static final String NOT_ALLOWED = "gemini-3.1-pro-preview";
    private static final String CHAT = "/v1beta/openai/chat/completions";
    private static final long IDLE_MILLIS = 500;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Pattern ERROR_CHUNK = Pattern.compile("data: (\\{\"error\".*})\n\n");

    private static final String FIRST = chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"The sky\","
            + "\"extra_content\":{\"google\":{\"thought_signature\":\"c2lnbmF0dXJl\"}}},\"finish_reason\":null}", null);
    private static final String SECOND = chunk("{\"index\":0,\"delta\":{\"content\":\" is blue.\"},"
            + "\"finish_reason\":null}", null);
    private static final String LAST = chunk("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}", null);
    private static final String USAGE = chunk(null, "{\"prompt_tokens\":300,\"completion_tokens\":900,"
            + "\"total_tokens\":1500}");
    private static final String DONE = "data: [DONE]\n\n";
    private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"gemini-3.6-flash\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"The sky is blue.\",\"extra_content\":{\"google\":{\"thought_signature\":\"c2ln\"}}},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":900,"
            + "\"total_tokens\":1500}}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.clients.team-a.models[0]=" + ALLOWED,
                "--gateway.clients.team-a.models[1]=gemini-embedding-001",
                "--gateway.clients.team-a.models[2]=imagen-4.0-generate-001",
                RunningGateway.clientArg("metered"), "--gateway.clients.metered.tokens-per-minute=1000",
                RunningGateway.clientArg("streamer"), "--gateway.clients.streamer.tokens-per-minute=1000",
                RunningGateway.clientArg("open"),
                "--gateway.limits.output-token-estimate=400",
                "--gateway.retry.initial-backoff=10ms",
                "--gateway.retry.max-backoff=50ms",
                "--gateway.max-request-size=64KB",
                "--gateway.timeouts.idle=" + IDLE_MILLIS + "ms",
                "--gateway.timeouts.total=3s");
    private static final FakeGemini upstream = gateway.upstream();
    private int before;

    @BeforeEach
    void forgetLeftovers() {
        before = upstream.requests().size();
    }

    @Test
    void aBearerKeyIsTakenOffAndTheUpstreamGetsExactlyOneCredentialTheGatewaysKeyAsXGoogApiKey()
            throws InterruptedException {
        upstream.enqueue(oneCredentialOnly(Reply.json(200, COMPLETION)));
        String request = "{\"model\":\"" + ALLOWED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Why?\"}],"
                + "\"extra_body\":{\"google\":{\"thinking_config\":{\"thinking_budget\":0}}}}";

        HttpResponse<String> answer = post(CHAT, bearer(RunningGateway.CLIENT_KEY), request);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).as("relayed unchanged, unknown fields included").isEqualTo(COMPLETION);
        RecordedRequest sent = upstream.awaitRequest(BOUND);
        assertThat(sent.uri()).isEqualTo(CHAT);
        assertThat(sent.headers().getAll("x-goog-api-key")).containsExactly(RunningGateway.UPSTREAM_KEY);
        assertThat(sent.headers().contains("Authorization")).isFalse();
        assertThat(sent.headers().toString()).doesNotContain(RunningGateway.CLIENT_KEY);
        assertThat(sent.bodyText()).as("extra_body passes through untouched").isEqualTo(request);
    }

    @Test
    void theStandInReallyRefusesTwoCredentials() {
        // The proof above is only as good as the stand-in: it must fail a request that carries two.
        upstream.enqueue(oneCredentialOnly(Reply.json(200, COMPLETION)));

        HttpResponse<String> direct = send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + CHAT))
                .header("x-goog-api-key", RunningGateway.UPSTREAM_KEY)
                .header("Authorization", "Bearer " + RunningGateway.UPSTREAM_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(ALLOWED, false))));

        assertThat(direct.statusCode()).isEqualTo(400);
        assertThat(direct.body()).contains("Multiple authentication credentials received");
    }

    @Test
    void theGatewayKeyIsAlsoAcceptedAsXGoogApiKeyOnThisRoute() {
        upstream.enqueue(oneCredentialOnly(Reply.json(200, COMPLETION)));

        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(CHAT))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(ALLOWED, false))));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aMissingOrWrongKeyIsA401InOpenAisShapeAndNothingGoesUpstream() {
        HttpResponse<String> missing = post(CHAT, null, chatBody(ALLOWED, false));
        HttpResponse<String> wrong = post(CHAT, bearer("gw-wrong-key"), chatBody(ALLOWED, false));
        HttpResponse<String> notBearer = post(CHAT, "Basic " + RunningGateway.CLIENT_KEY, chatBody(ALLOWED, false));

        for (HttpResponse<String> refused : List.of(missing, wrong, notBearer)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            JsonNode error = openAiError(refused);
            assertThat(error.get("type").asText()).isEqualTo("authentication_error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHENTICATED");
        }
        assertThat(openAiError(missing).get("message").asText()).contains("Authorization: Bearer");
        assertThat(upstream.requests()).as("nothing went upstream").hasSize(before);
    }

    @Test
    void aBodyModelTheClientMayNotUseIsA403BeforeAnythingGoesUpstream() {
        HttpResponse<String> chat = post(CHAT, bearer(RunningGateway.CLIENT_KEY), chatBody(NOT_ALLOWED, false));
        HttpResponse<String> prefixed = post(CHAT, bearer(RunningGateway.CLIENT_KEY),
                chatBody("models/" + NOT_ALLOWED, true));
        HttpResponse<String> embeddings = post("/v1beta/openai/embeddings", bearer(RunningGateway.CLIENT_KEY),
                "{\"model\":\"text-embedding-005\",\"input\":\"hi\"}");
        HttpResponse<String> modelGet = send(HttpRequest.newBuilder(uri("/v1beta/openai/models/" + NOT_ALLOWED))
                .header("Authorization", bearer(RunningGateway.CLIENT_KEY)).GET());
        HttpResponse<String> unnamedImage = post("/v1beta/openai/images/generations",
                bearer(RunningGateway.CLIENT_KEY), "{\"prompt\":\"a cat\"}");
        HttpResponse<String> batch = post("/v1beta/openai/batches", bearer(RunningGateway.CLIENT_KEY),
                "{\"input_file_id\":\"files/f1\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}");

        for (HttpResponse<String> refused : List.of(chat, prefixed, embeddings, modelGet, unnamedImage, batch)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(openAiError(refused).get("type").asText()).isEqualTo("permission_error");
            assertThat(openAiError(refused).get("code").asText()).isEqualTo("PERMISSION_DENIED");
        }
        assertThat(openAiError(chat).get("message").asText()).contains("may not use model '" + NOT_ALLOWED + "'");
        assertThat(upstream.requests()).as("nothing went upstream").hasSize(before);
    }

    @Test
    void aChatWithoutAModelOrWithAMalformedOneIsA400AndAnotherApiVersionA404() {
        HttpResponse<String> unnamed = post(CHAT, bearer(RunningGateway.CLIENT_KEY), "{\"messages\":[]}");
        HttpResponse<String> malformed = post(CHAT, bearer(RunningGateway.CLIENT_KEY),
                "{\"model\":\"../" + ALLOWED + "\",\"messages\":[]}");
        HttpResponse<String> notJson = post(CHAT, bearer(RunningGateway.CLIENT_KEY), "{\"model\":");
        HttpResponse<String> v1 = post("/v1/openai/chat/completions", bearer(RunningGateway.CLIENT_KEY),
                chatBody(ALLOWED, false));

        for (HttpResponse<String> refused : List.of(unnamed, malformed, notJson)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(openAiError(refused).get("type").asText()).isEqualTo("invalid_request_error");
        }
        assertThat(v1.statusCode()).isEqualTo(404);
        assertThat(openAiError(v1).get("message").asText()).contains("/v1beta/openai/");
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void aBodyOverTheSizeLimitIsA413InOpenAisShape() {
        String big = "{\"model\":\"" + ALLOWED + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(70_000) + "\"}]}";

        HttpResponse<String> refused = post(CHAT, bearer(RunningGateway.CLIENT_KEY), big);

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(openAiError(refused).get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void googlesArrayShapedErrorIsRelayedAsOneOpenAiErrorWithItsStatusRetryAfterAndTheKeyRedacted() {
        String exhausted = "[{\"error\":{\"code\":429,\"message\":\"Quota exceeded for key "
                + RunningGateway.UPSTREAM_KEY + ".\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaId\":"
                + "\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"}]},{\"@type\":"
                + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"3600s\"}]}}]";
        upstream.enqueue(Reply.json(429, exhausted));

        HttpResponse<String> answer = post(CHAT, bearer(RunningGateway.CLIENT_KEY), chatBody(ALLOWED, false));

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("3600");
        JsonNode error = openAiError(answer);
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.get("code").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.get("message").asText()).contains("Quota exceeded for key [REDACTED]", "request id");
        assertThat(answer.body()).doesNotContain(RunningGateway.UPSTREAM_KEY);
    }

    @Test
    void anUpstream503IsRetriedAndWhenItPersistsRelayedAsAServerError() {
        String unavailable = "[{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                + "\"status\":\"UNAVAILABLE\"}}]";
        upstream.enqueue(Reply.json(503, unavailable), Reply.json(200, COMPLETION));

        assertThat(post(CHAT, bearer(RunningGateway.CLIENT_KEY), chatBody(ALLOWED, false)).statusCode())
                .isEqualTo(200);
        assertThat(upstream.requests()).as("retried like a generate call").hasSize(before + 2);

        upstream.forgetPending();
        upstream.enqueue(Reply.json(503, unavailable), Reply.json(503, unavailable), Reply.json(503, unavailable),
                Reply.json(503, unavailable), Reply.json(503, unavailable));
        HttpResponse<String> failed = post(CHAT, bearer(RunningGateway.CLIENT_KEY), chatBody(ALLOWED, false));

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(openAiError(failed).get("type").asText()).isEqualTo("server_error");
        assertThat(openAiError(failed).get("code").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void aStreamIsRelayedChunkByChunkAndEndsCleanlyAfterFinishReasonUsageAndDone() {
        Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
        upstream.enqueue(oneCredentialOnly(Reply.sse(chunks.asFlux())));

        StreamingCall call = StreamingCall.start(gateway.baseUrl() + CHAT, chatBody(ALLOWED, true),
                "Authorization", bearer(RunningGateway.CLIENT_KEY));
        chunks.tryEmitNext(FIRST);
        // The upstream holds the rest back until the caller has the first chunk: nothing is buffered.
        await().atMost(BOUND).until(() -> call.received().equals(FIRST));
        assertThat(call.completed()).isFalse();
        chunks.tryEmitNext(SECOND);
        await().atMost(BOUND).until(() -> call.received().equals(FIRST + SECOND));
        chunks.tryEmitNext(LAST);
        chunks.tryEmitNext(USAGE);
        chunks.tryEmitNext(DONE);
        chunks.tryEmitComplete();

        await().atMost(BOUND).until(call::completed);
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.contentType()).startsWith("text/event-stream");
        assertThat(call.received()).isEqualTo(FIRST + SECOND + LAST + USAGE + DONE);
    }

    @Test
    void aStreamCutMidwayEndsInOneErrorChunk() {
        upstream.enqueue(Reply.sseThenReset(FIRST + SECOND));

        JsonNode error = onlyErrorChunkAfter(FIRST + SECOND, chat(true).body());

        assertThat(error.get("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.get("message").asText()).contains("closed the stream before it finished");
        assertThat(upstream.requests()).as("a started stream is not retried").hasSize(before + 1);
    }

    @Test
    void anEndOfStreamWithoutFinishReasonIsAnErrorChunkNotACleanEnd() {
        upstream.enqueue(Reply.sse(Flux.just(FIRST, SECOND)));

        JsonNode error = onlyErrorChunkAfter(FIRST + SECOND, chat(true).body());

        assertThat(error.get("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.get("message").asText()).contains("before a chunk with finish_reason");
    }

    @Test
    void aDoneBeforeFinishReasonIsATruncationNotACleanEnd() {
        upstream.enqueue(Reply.sse(Flux.just(FIRST, DONE, LAST)));

        JsonNode error = onlyErrorChunkAfter(FIRST, chat(true).body());

        assertThat(error.get("message").asText()).contains("before a chunk with finish_reason");
    }

    @Test
    void aStalledStreamEndsInADeadlineExceededErrorChunk() {
        upstream.enqueue(Reply.sse(Flux.concat(Flux.just(FIRST), Flux.never())));

        JsonNode error = onlyErrorChunkAfter(FIRST, chat(true).body());

        assertThat(error.get("code").asText()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(error.get("type").asText()).isEqualTo("timeout_error");
    }

    @Test
    void aStreamPastItsTotalDeadlineEndsInAnErrorChunk() {
        // Chunks keep coming faster than the idle timeout, so only the total deadline can end it.
        String paced = chunk("{\"index\":0,\"delta\":{\"content\":\".\"},\"finish_reason\":null}", null);
        upstream.enqueue(Reply.sse(Flux.interval(Duration.ofMillis(50)).map(tick -> paced)));

        HttpResponse<String> answer = chat(true);

        assertThat(answer.body()).startsWith(paced);
        Matcher last = ERROR_CHUNK.matcher(answer.body().substring(answer.body().lastIndexOf("data: {\"error\"")));
        assertThat(last.matches()).as(answer.body()).isTrue();
        assertThat(json(last.group(1)).at("/error/message").asText()).contains("total time limit");
    }

    @Test
    void googlesOwnErrorMidStreamEndsItOnceWithTheKeyRedacted() {
        String googles = "data: [{\"error\":{\"code\":500,\"message\":\"Backend failed for "
                + RunningGateway.UPSTREAM_KEY + "\",\"status\":\"INTERNAL\"}}]\n\n";
        upstream.enqueue(Reply.sse(Flux.just(FIRST, googles, SECOND)));

        HttpResponse<String> answer = chat(true);

        JsonNode error = onlyErrorChunkAfter(FIRST, answer.body());
        assertThat(error.get("code").asText()).isEqualTo("INTERNAL");
        assertThat(error.get("message").asText()).contains("Backend failed for [REDACTED]");
        assertThat(answer.body()).doesNotContain(RunningGateway.UPSTREAM_KEY).doesNotContain("is blue");
    }

    @Test
    void aMalformedChunkEndsTheStreamInAnErrorChunk() {
        upstream.enqueue(Reply.sse(Flux.just(FIRST, "data: {\"choices\":\n\n", LAST)));

        JsonNode error = onlyErrorChunkAfter(FIRST, chat(true).body());

        assertThat(error.get("message").asText()).contains("malformed stream event");
    }

    @Test
    void aStreamWithTwoChoicesEndsCleanlyOnlyWhenBothHaveFinished() {
        String firstDone = chunk("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}", null);
        String secondOpen = chunk("{\"index\":1,\"delta\":{\"content\":\"Blue\"},\"finish_reason\":null}", null);
        String secondDone = chunk("{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}", null);
        upstream.enqueue(Reply.sse(Flux.just(secondOpen, firstDone, secondDone)),
                Reply.sse(Flux.just(secondOpen, firstDone)));

        assertThat(chat(true).body()).isEqualTo(secondOpen + firstDone + secondDone);
        onlyErrorChunkAfter(secondOpen + firstDone, chat(true).body());
    }

    @Test
    void theUsageOfAUnaryChatSettlesTheClientsTokenLimit() {
        upstream.enqueue(Reply.json(200, COMPLETION));

        assertThat(post(CHAT, bearer("metered-key"), chatBody(ALLOWED, false)).statusCode()).isEqualTo(200);
        HttpResponse<String> next = post(CHAT, bearer("metered-key"), chatBody(ALLOWED, false));

        assertThat(next.statusCode()).as("1000 - 1500 tokens: in debt").isEqualTo(429);
        assertThat(next.headers().firstValue("Retry-After")).isPresent();
        assertThat(openAiError(next).get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(upstream.requests()).hasSize(before + 1);
    }

    @Test
    void theUsageChunkOfAStreamSettlesTheClientsTokenLimit() {
        upstream.enqueue(Reply.sse(Flux.just(FIRST, LAST, USAGE, DONE)));

        String body = "{\"model\":\"" + ALLOWED + "\",\"messages\":[],\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}";
        assertThat(post(CHAT, bearer("streamer-key"), body).body()).endsWith(USAGE + DONE);
        HttpResponse<String> next = post(CHAT, bearer("streamer-key"), body);

        assertThat(next.statusCode()).as("the stream's 1500 tokens were charged").isEqualTo(429);
    }

    @Test
    void embeddingsImagesModelsAndBatchesGoThroughWithTheirOwnOperationTags() throws InterruptedException {
        upstream.enqueue(Reply.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                        + "\"embedding\":[0.1]}],\"model\":\"gemini-embedding-001\",\"usage\":{\"prompt_tokens\":2,"
                        + "\"total_tokens\":2}}"),
                Reply.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"AAAA\"}]}"),
                Reply.json(200, "{\"object\":\"list\",\"data\":[]}"),
                Reply.json(200, "{\"id\":\"models/" + ALLOWED + "\",\"object\":\"model\"}"),
                Reply.json(200, "{\"id\":\"batches/b1\",\"object\":\"batch\",\"status\":\"validating\"}"),
                Reply.json(200, "{\"id\":\"batches/b1\",\"object\":\"batch\",\"status\":\"cancelling\"}"),
                Reply.sse(Flux.just(FIRST, LAST)));

        String key = bearer(RunningGateway.CLIENT_KEY);
        assertThat(post("/v1beta/openai/embeddings", key, "{\"model\":\"models/gemini-embedding-001\","
                + "\"input\":\"hi\"}").statusCode()).isEqualTo(200);
        assertThat(post("/v1beta/openai/images/generations", key, "{\"model\":\"imagen-4.0-generate-001\","
                + "\"prompt\":\"a cat\",\"response_format\":\"b64_json\"}").statusCode()).isEqualTo(200);
        assertThat(get("/v1beta/openai/models", key).statusCode()).isEqualTo(200);
        assertThat(get("/v1beta/openai/models/" + ALLOWED, key).statusCode()).isEqualTo(200);
        assertThat(post("/v1beta/openai/batches", bearer("open-key"), "{\"input_file_id\":\"files/f1\","
                + "\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}").statusCode()).isEqualTo(200);
        assertThat(post("/v1beta/openai/batches/batches/b1/cancel", key, "").statusCode()).isEqualTo(200);
        assertThat(chat(true).statusCode()).isEqualTo(200);

        List<String> uris = upstream.requests().subList(before, before + 7).stream().map(RecordedRequest::uri)
                .toList();
        assertThat(uris).containsExactly("/v1beta/openai/embeddings", "/v1beta/openai/images/generations",
                "/v1beta/openai/models", "/v1beta/openai/models/" + ALLOWED, "/v1beta/openai/batches",
                "/v1beta/openai/batches/batches/b1/cancel", CHAT);
        // A request is counted when its exchange has ended, which may be just after the caller has its answer.
        await().atMost(BOUND).untilAsserted(() -> assertThat(prometheus(gateway))
                .contains("operation=\"chat_stream\"", "operation=\"images\"", "operation=\"embed\"",
                        "model=\"imagen-4.0-generate-001\"")
                .doesNotContain(RunningGateway.UPSTREAM_KEY, RunningGateway.CLIENT_KEY));
    }

    /** Like Google's compatible route: exactly one credential, the gateway's key as x-goog-api-key. */
    private static Reply oneCredentialOnly(Reply then) {
        return (request, response) -> {
            boolean bearer = request.headers().contains("Authorization");
            String key = request.headers().get("x-goog-api-key");
            if (bearer && key != null) {
                return Reply.json(400, "[{\"error\":{\"code\":400,\"message\":\"Multiple authentication "
                        + "credentials received. Please pass only one.\",\"status\":\"INVALID_ARGUMENT\"}}]")
                        .answer(request, response);
            }
            if (!RunningGateway.UPSTREAM_KEY.equals(key)) {
                return Reply.json(401, "[{\"error\":{\"code\":401,\"message\":\"Missing or invalid key.\","
                        + "\"status\":\"UNAUTHENTICATED\"}}]").answer(request, response);
            }
            return Mono.from(then.answer(request, response));
        };
    }

    /** The body holds exactly the expected chunks, then exactly one error chunk; returns its error object. */
    private static JsonNode onlyErrorChunkAfter(String expectedChunks, String body) {
        assertThat(body).startsWith(expectedChunks);
        String rest = body.substring(expectedChunks.length());
        Matcher matcher = ERROR_CHUNK.matcher(rest);
        assertThat(matcher.matches()).as("one error chunk, and nothing else, after the good ones: %s", rest).isTrue();
        JsonNode error = json(matcher.group(1)).get("error");
        assertThat(error.get("message").asText()).contains("request id");
        assertThat(error.get("type").isTextual()).as("openai-java requires a type").isTrue();
        return error;
    }

    private static JsonNode openAiError(HttpResponse<String> answer) {
        JsonNode root = json(answer.body());
        assertThat(root.isObject()).as("an OpenAI error is an object: %s", answer.body()).isTrue();
        JsonNode error = root.get("error");
        assertThat(error.get("message").isTextual()).isTrue();
        assertThat(error.has("param")).isTrue();
        return error;
    }

    private static String chunk(String choice, String usage) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                + "\"gemini-3.6-flash\",\"choices\":[" + (choice == null ? "" : choice) + "]"
                + (usage == null ? "" : ",\"usage\":" + usage) + "}\n\n";
    }

    private static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    private static HttpResponse<String> chat(boolean stream) {
        return post(CHAT, bearer(RunningGateway.CLIENT_KEY), chatBody(ALLOWED, stream));
    }

    private static String bearer(String key) {
        return "Bearer " + key;
    }

    private static HttpResponse<String> get(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET());
    }

    private static HttpResponse<String> post(String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(authorization == null ? request : request.header("Authorization", authorization));
    }

    private static URI uri(String path) {
        return URI.create(gateway.baseUrl() + path);
    }
}
