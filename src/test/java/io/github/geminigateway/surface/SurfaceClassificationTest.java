package io.github.geminigateway.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.upstream.RetryMode;
import io.github.geminigateway.upstream.TimeoutProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * What each surface makes of a request: its operation, the model or agent it names (path or body), whether it
 * streams, how it may be retried and which deadlines apply.
 */
class SurfaceClassificationTest {

    private static final TimeoutProperties TIMEOUTS = new TimeoutProperties(Duration.ofSeconds(5),
            Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofMinutes(10), null, null);
    private final GeminiPathParser paths = new GeminiPathParser();
    private final ApiSurfaces surfaces = ApiSurfaces.all(TIMEOUTS);

    @Test
    void anInteractionsCreateNamesItsModelInTheBodyAndIsRetriedOnlyWhenRefused() {
        SurfaceCall unary = classify(HttpMethod.POST, "/v1beta/interactions", null,
                "{\"model\":\"models/gemini-3.6-flash\",\"input\":\"hi\"}");
        SurfaceCall stream = classify(HttpMethod.POST, "/v1/interactions", null,
                "{\"input\":\"hi\",\"stream\":true,\"model\":\"gemini-3.6-flash\"}");

        assertThat(unary.operation()).isEqualTo(Operation.INTERACTION);
        assertThat(unary.model()).isEqualTo("gemini-3.6-flash");
        assertThat(unary.stream()).isFalse();
        assertThat(unary.retry()).isEqualTo(RetryMode.REFUSED_ONLY);
        assertThat(unary.fallbacks()).as("a body model cannot be swapped").isFalse();
        assertThat(unary.deadlines()).isEqualTo(TIMEOUTS.standard());
        assertThat(stream.operation()).isEqualTo(Operation.INTERACTION_STREAM);
        assertThat(stream.stream()).isTrue();
    }

    @Test
    void agentsFlexAndBackgroundRunsGetTheirDeadlines() {
        SurfaceCall agent = classify(HttpMethod.POST, "/v1beta/interactions", null,
                "{\"agent\":\"agents/deep-research-preview-04-2026\",\"input\":\"q\"}");
        SurfaceCall backgroundAgent = classify(HttpMethod.POST, "/v1beta/interactions", null,
                "{\"agent\":\"deep-research-preview-04-2026\",\"background\":true}");
        SurfaceCall flex = classify(HttpMethod.POST, "/v1beta/interactions", null,
                "{\"model\":\"gemini-3.6-flash\",\"serviceTier\":\"FLEX\"}");

        assertThat(agent.model()).isEqualTo("deep-research-preview-04-2026");
        assertThat(agent.agent()).isTrue();
        assertThat(agent.deadlines()).isEqualTo(TIMEOUTS.agentRun());
        assertThat(backgroundAgent.deadlines()).as("a background create answers at once")
                .isEqualTo(TIMEOUTS.standard());
        assertThat(flex.deadlines()).isEqualTo(TIMEOUTS.flexTier());
        assertThat(TIMEOUTS.flexTier().firstByte()).isGreaterThan(Duration.ofMinutes(15));
        assertThat(TIMEOUTS.longestTotal()).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void aCreateMustNameExactlyOneModelOrAgentAsAString() {
        for (String body : new String[] {"{\"input\":\"hi\"}", "{\"model\":null}",
                "{\"model\":\"gemini-3.6-flash\",\"agent\":\"deep-research-preview-04-2026\"}"}) {
            assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1beta/interactions", null, body)).as(body)
                    .isInstanceOf(GatewayException.class).hasMessageContaining("a model or an agent");
        }
        assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1beta/interactions", null,
                "{\"model\":[\"gemini-3.1-pro-preview\"]}"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("must be a single value");
        assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1beta/cachedContents", null, "{\"contents\":[]}"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("names its model");
        assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1beta/interactions", null,
                "{\"model\":\"models/../secret\"}"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("Malformed 'model'");
    }

    @Test
    void getCancelDeleteAndResumeAreIdempotentAndNameNoModel() {
        SurfaceCall get = classify(HttpMethod.GET, "/v1beta/interactions/abc-1", null, null);
        SurfaceCall resumed = classify(HttpMethod.GET, "/v1beta/interactions/abc-1",
                "stream=true&last_event_id=e5", null);
        SurfaceCall cancel = classify(HttpMethod.POST, "/v1beta/interactions/abc-1/cancel", null, null);
        SurfaceCall cancelRpc = classify(HttpMethod.POST, "/v1beta/interactions/abc-1:cancel", null, null);
        SurfaceCall delete = classify(HttpMethod.DELETE, "/v1beta/interactions/abc-1", null, null);

        assertThat(List.of(get, resumed, cancel, cancelRpc, delete)).allSatisfy(call -> {
            assertThat(call.retry()).isEqualTo(RetryMode.ALL);
            assertThat(call.model()).isNull();
        });
        assertThat(get.operation()).isEqualTo(Operation.INTERACTION_GET);
        assertThat(get.stream()).isFalse();
        assertThat(resumed.stream()).isTrue();
        assertThat(resumed.deadlines()).isEqualTo(TIMEOUTS.agentRun());
        assertThat(cancel.operation()).isEqualTo(Operation.INTERACTION_CANCEL);
        assertThat(cancelRpc.operation()).isEqualTo(Operation.INTERACTION_CANCEL);
        assertThat(delete.operation()).isEqualTo(Operation.INTERACTION_DELETE);
    }

    @Test
    void writesWhoseBodiesTheGatewayDoesNotReadAreForClientsWithoutAllowListsOnly() {
        assertThat(classify(HttpMethod.POST, "/v1beta/agents", null, "{}").openClientsOnly()).isTrue();
        assertThat(classify(HttpMethod.PATCH, "/v1beta/triggers/t1", null, "{}").openClientsOnly()).isTrue();
        assertThat(classify(HttpMethod.POST, "/v1beta/interactions:create", null, "{}").openClientsOnly()).isTrue();
        assertThat(classify(HttpMethod.POST, "/v1alpha/auth_tokens", null, "{}").openClientsOnly()).isTrue();
        assertThat(classify(HttpMethod.POST, "/v1beta/tunedModels", null, "{}").openClientsOnly()).isTrue();
        assertThat(classify(HttpMethod.POST, "/upload/v1beta/cachedContents", null, "{}").openClientsOnly())
                .isTrue();
        assertThat(classify(HttpMethod.POST, "/upload/v1beta/files", null, "{}").openClientsOnly()).isFalse();
        assertThat(classify(HttpMethod.GET, "/v1beta/agents", null, null).openClientsOnly()).isFalse();
        assertThat(classify(HttpMethod.POST, "/v1beta/interactions/i1/cancel", null, null).openClientsOnly())
                .isFalse();
        assertThat(classify(HttpMethod.POST, "/v1beta/models/gemini-2.5-flash:generateContent", null, "{}")
                .openClientsOnly()).isFalse();
    }

    @Test
    void theAgentPlatformResourcesBelongToTheInteractionsSurface() {
        SurfaceCall createAgent = classify(HttpMethod.POST, "/v1beta/agents", null, "{}");
        SurfaceCall ping = classify(HttpMethod.POST, "/v1beta/webhooks/w1:ping", null, "{}");
        SurfaceCall list = classify(HttpMethod.GET, "/v1beta/triggers/t1/executions", null, null);

        assertThat(List.of(createAgent, ping, list)).allSatisfy(call ->
                assertThat(call.operation()).isEqualTo(Operation.AGENTS));
        assertThat(createAgent.retry()).isEqualTo(RetryMode.REFUSED_ONLY);
        assertThat(list.retry()).isEqualTo(RetryMode.ALL);
        assertThat(surfaces.of(paths.parse("/v1beta/environments/e1"))).isInstanceOf(InteractionsSurface.class);
        assertThat(surfaces.of(paths.parse("/v1beta/interactionsX"))).isInstanceOf(GenerateContentSurface.class);
    }

    @Test
    void generateContentKeepsItsPathModelAndReadsTheBodyModelsOfCachesAndBatches() {
        SurfaceCall generate = classify(HttpMethod.POST, "/v1beta/models/gemini-2.5-flash:generateContent", null,
                "{\"contents\":[]}");
        SurfaceCall flex = classify(HttpMethod.POST, "/v1beta/models/gemini-2.5-flash:generateContent", null,
                "{\"contents\":[],\"serviceTier\":\"FLEX\"}");
        SurfaceCall cache = classify(HttpMethod.POST, "/v1beta/cachedContents", null,
                "{\"model\":\"models/gemini-2.5-pro\",\"contents\":[]}");
        SurfaceCall batch = classify(HttpMethod.POST, "/v1beta/models/gemini-2.5-flash:batchGenerateContent", null,
                "{\"batch\":{\"displayName\":\"b\",\"model\":\"models/gemini-2.5-pro\"}}");
        SurfaceCall stream = classify(HttpMethod.POST, "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                "alt=sse", "{}");

        assertThat(generate.model()).isEqualTo("gemini-2.5-flash");
        assertThat(generate.fallbacks()).isTrue();
        assertThat(generate.retry()).isEqualTo(RetryMode.ALL);
        assertThat(generate.deadlines()).isEqualTo(TIMEOUTS.standard());
        assertThat(flex.deadlines()).isEqualTo(TIMEOUTS.flexTier());
        assertThat(cache.model()).isEqualTo("gemini-2.5-pro");
        assertThat(cache.fallbacks()).isFalse();
        assertThat(batch.model()).isEqualTo("gemini-2.5-flash");
        assertThat(batch.alsoNamed()).containsExactly("gemini-2.5-pro");
        assertThat(stream.stream()).isTrue();
        assertThat(stream.flushEachRead()).isTrue();
    }

    @Test
    void theOpenAiRouteNamesItsModelInTheBodyAndGovernsWhatItCannotRead() {
        SurfaceCall chat = classify(HttpMethod.POST, "/v1beta/openai/chat/completions", null,
                "{\"model\":\"models/gemini-2.5-flash\",\"messages\":[]}");
        SurfaceCall stream = classify(HttpMethod.POST, "/v1beta/openai/chat/completions", null,
                "{\"messages\":[],\"stream\":true,\"model\":\"gemini-2.5-flash\",\"service_tier\":\"flex\"}");
        SurfaceCall embed = classify(HttpMethod.POST, "/v1beta/openai/embeddings", null,
                "{\"model\":\"gemini-embedding-001\",\"input\":\"hi\"}");
        SurfaceCall images = classify(HttpMethod.POST, "/v1beta/openai/images/generations", null,
                "{\"prompt\":\"a cat\"}");
        SurfaceCall modelGet = classify(HttpMethod.GET, "/v1beta/openai/models/gemini-2.5-pro", null, null);
        SurfaceCall batchCreate = classify(HttpMethod.POST, "/v1beta/openai/batches", null,
                "{\"input_file_id\":\"files/f1\",\"endpoint\":\"/v1/chat/completions\"}");
        SurfaceCall batchCancel = classify(HttpMethod.POST, "/v1beta/openai/batches/batches/b1/cancel", null, null);
        SurfaceCall batchGet = classify(HttpMethod.GET, "/v1beta/openai/batches/batches/b1", null, null);

        assertThat(surfaces.of(paths.parse("/v1beta/openai/models"))).isInstanceOf(OpenAiSurface.class);
        assertThat(chat.operation()).isEqualTo(Operation.CHAT);
        assertThat(chat.model()).isEqualTo("gemini-2.5-flash");
        assertThat(chat.retry()).isEqualTo(RetryMode.ALL);
        assertThat(chat.fallbacks()).isFalse();
        assertThat(chat.stream()).isFalse();
        assertThat(stream.operation()).isEqualTo(Operation.CHAT_STREAM);
        assertThat(stream.stream()).isTrue();
        assertThat(stream.flushEachRead()).isFalse();
        assertThat(stream.deadlines()).isEqualTo(TIMEOUTS.flexTier());
        assertThat(embed.operation()).isEqualTo(Operation.EMBED);
        assertThat(embed.model()).isEqualTo("gemini-embedding-001");
        assertThat(images.operation()).isEqualTo(Operation.IMAGES);
        assertThat(images.openClientsOnly()).as("the server would pick the model").isTrue();
        assertThat(modelGet.model()).isEqualTo("gemini-2.5-pro");
        assertThat(modelGet.retry()).isEqualTo(RetryMode.ALL);
        assertThat(batchCreate.openClientsOnly()).as("its models are in a JSONL file").isTrue();
        assertThat(batchCreate.retry()).isEqualTo(RetryMode.REFUSED_ONLY);
        assertThat(batchCancel.openClientsOnly()).isFalse();
        assertThat(batchCancel.retry()).isEqualTo(RetryMode.ALL);
        assertThat(batchGet.openClientsOnly()).isFalse();
    }

    @Test
    void anOpenAiCallWithoutAModelOrOnAnotherVersionIsRefused() {
        assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1beta/openai/chat/completions", null,
                "{\"messages\":[]}")).isInstanceOf(GatewayException.class).hasMessageContaining("names its model");
        assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1beta/openai/embeddings", null,
                "{\"model\":\"../gemini\"}")).isInstanceOf(GatewayException.class)
                .hasMessageContaining("Malformed 'model'");
        assertThatThrownBy(() -> classify(HttpMethod.POST, "/v1/openai/chat/completions", null,
                "{\"model\":\"gemini-2.5-flash\"}")).isInstanceOf(GatewayException.class)
                .hasMessageContaining("/v1beta/openai/ only");
    }

    @Test
    void bodyFieldsAreReadThroughNestedObjectsAndADuplicateIsRefused() throws IOException {
        BodyFields fields = BodyFields.of("model", "batch.model");

        BodyFacts facts = read(fields, "{\"contents\":[{\"model\":\"no\"}],\"batch\":{\"x\":{\"model\":\"no\"},"
                + "\"model\":\"yes\"}}");

        assertThat(facts.text("batch.model")).isEqualTo("yes");
        assertThat(facts.text("model")).isNull();
        assertThatThrownBy(() -> read(fields, "{\"model\":{\"not\":\"a single value\"}}"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("single value");
        assertThatThrownBy(() -> read(fields, "{\"batch\":{\"model\":\"a\",\"model\":\"b\"}}"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("more than once");
    }

    private SurfaceCall classify(HttpMethod method, String rawPath, String rawQuery, String body) {
        GeminiPath path = paths.parse(rawPath);
        ApiSurface surface = surfaces.of(path);
        try {
            BodyFacts facts = body == null ? BodyFacts.NONE : read(surface.bodyFields(method, path), body);
            return surface.classify(method, path, rawQuery, facts);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BodyFacts read(BodyFields fields, String json) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            return fields.read(parser);
        }
    }
}
