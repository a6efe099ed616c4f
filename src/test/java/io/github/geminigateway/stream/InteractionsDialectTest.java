package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.StreamDialect.Verdict;
import io.github.geminigateway.upstream.ApiKey;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Interactions stream dialect, event by event: what each event means for the end of the stream and its usage. */
class InteractionsDialectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InteractionsDialect dialect = InteractionsDialect.INSTANCE;

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "interaction.created, in_progress, CHUNK",
            "step.start, , CHUNK",
            "step.delta, , CHUNK",
            "step.stop, , CHUNK",
            "interaction.status_update, in_progress, CHUNK",
            "interaction.status_update, queued, CHUNK",
            "interaction.status_update, completed, FINAL",
            "interaction.status_update, failed, FINAL",
            "interaction.status_update, cancelled, FINAL",
            "interaction.status_update, requires_action, FINAL",
            "interaction.status_update, requires_continuation, FINAL",
            "interaction.completed, completed, FINAL",
            "interaction.completed, requires_action, FINAL",
            "interaction.complete, completed, FINAL",
            "content.delta, , CHUNK",
            "error, , ERROR"})
    void eachEventTypeSaysWhetherTheStreamMayEndAfterIt(String type, String status, Verdict verdict) {
        String fields = status == null ? "" : type.equals("interaction.status_update")
                ? ",\"status\":\"" + status + "\"" : ",\"interaction\":{\"id\":\"i\",\"status\":\"" + status + "\"}";
        String event = "event: " + type + "\ndata: {\"event_type\":\"" + type + "\",\"event_id\":\"e7\"" + fields
                + "}\n\n";

        assertThat(dialect.read(bytes(event), new ResponseFacts())).isEqualTo(verdict);
    }

    @Test
    void theCompletedEventsUsageIsTheInteractionsTotals() {
        ResponseFacts facts = new ResponseFacts();
        String completed = "event: interaction.completed\nid: e9\ndata: {\"event_type\":\"interaction.completed\","
                + "\"interaction\":{\"id\":\"i\",\"status\":\"completed\",\"usage\":{\"total_input_tokens\":12,"
                + "\"total_output_tokens\":34,\"total_thought_tokens\":5,\"total_cached_tokens\":2,"
                + "\"total_tokens\":51}}}\r\n\r\n";

        assertThat(dialect.read(bytes(completed), facts)).isEqualTo(Verdict.FINAL);
        assertThat(facts.usage()).isEqualTo(new TokenUsage(12, 34, 5, 2));
    }

    @Test
    void eventsWithoutDataCommentsAndSentinelsAreToldApart() {
        assertThat(dialect.read(bytes(": keep-alive\n\n"), new ResponseFacts())).isEqualTo(Verdict.PASS);
        assertThat(dialect.read(bytes("id: e3\n\n"), new ResponseFacts())).isEqualTo(Verdict.PASS);
        assertThat(dialect.read(bytes("data: [DONE]\n\n"), new ResponseFacts())).isEqualTo(Verdict.DONE);
        assertThat(dialect.read(bytes("data: {\"event_type\":\n\n"), new ResponseFacts()))
                .isEqualTo(Verdict.MALFORMED);
        assertThat(dialect.read(bytes("data: {\"a\":1} {\"b\":2}\n\n"), new ResponseFacts()))
                .isEqualTo(Verdict.MALFORMED);
        assertThat(dialect.read(bytes("{\"error\":{\"code\":500,\"status\":\"INTERNAL\"}}"), new ResponseFacts()))
                .as("Google's bare mid-stream error").isEqualTo(Verdict.ERROR);
    }

    @Test
    void multiLineDataIsJoinedAsTheSseSpecificationReadsIt() {
        String event = "event: interaction.completed\ndata: {\"event_type\":\"interaction.completed\",\n"
                + "data: \"interaction\":{\"status\":\"completed\"}}\n\n";

        assertThat(dialect.read(bytes(event), new ResponseFacts())).isEqualTo(Verdict.FINAL);
    }

    @Test
    void theTerminalErrorIsAnErrorEventWithAStringCodeAndTheRequestId() throws Exception {
        String event = new String(dialect.terminalError(TruncationReason.IDLE_TIMEOUT, "req-7"),
                StandardCharsets.UTF_8);

        assertThat(event).startsWith("event: error\ndata: {\"event_type\":\"error\",").endsWith("}\n\n");
        JsonNode data = JSON.readTree(event.substring(event.indexOf("data: ") + 6));
        assertThat(data.at("/error/code").asText()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(data.at("/error/message").asText()).contains("stalled").contains("req-7");
    }

    @Test
    void googlesErrorInEitherShapeIsRetoldInTheDialectWithTheKeyRedacted() throws Exception {
        UpstreamErrorReader reader = new UpstreamErrorReader(() -> List.of(new ApiKey("AQ.secret-key-1")));
        String interactionsShape = "event: error\ndata: {\"event_type\":\"error\",\"error\":{\"code\":\"INTERNAL\","
                + "\"message\":\"failed for AQ.secret-key-1\"}}\n\n";
        String statusShape = "data: {\"error\":{\"code\":503,\"message\":\"overloaded\"}}\n\n";

        JsonNode first = data(dialect.upstreamError(bytes(interactionsShape), reader, "r1"));
        JsonNode second = data(dialect.upstreamError(bytes(statusShape), reader, "r2"));

        assertThat(first.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(first.at("/error/message").asText()).contains("failed for [REDACTED]")
                .doesNotContain("secret-key");
        assertThat(second.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(second.at("/error/message").asText()).startsWith("overloaded");
    }

    /** The fuzz test found it: an answer or event without a status failed the relay (Set.of refuses null). */
    @Test
    void anAnswerOrEventWithoutAStatusIsReadWithoutFailing() {
        byte[] noStatus = bytes("{\"candidates\":[],\"usageMetadata\":{}}");
        ResponseFacts facts = new ResponseFacts();

        InteractionScanner.scanResource(noStatus, 0, noStatus.length, facts);

        assertThat(facts.usageComesLater()).isFalse();
        assertThat(dialect.read(bytes("data: {\"event_type\":\"interaction.status_update\"}\n\n"),
                new ResponseFacts())).isEqualTo(Verdict.CHUNK);
    }

    @Test
    void aRunningBackgroundInteractionSaysItsUsageComesLater() {
        ResponseFacts running = new ResponseFacts();
        ResponseFacts done = new ResponseFacts();

        byte[] inProgress = bytes("{\"id\":\"i\",\"status\":\"in_progress\"}");
        InteractionScanner.scanResource(inProgress, 0, inProgress.length, running);
        byte[] completed = bytes("{\"id\":\"i\",\"status\":\"completed\",\"usage\":{\"total_input_tokens\":3}}");
        InteractionScanner.scanResource(completed, 0, completed.length, done);

        assertThat(running.usageComesLater()).isTrue();
        assertThat(running.usage()).isNull();
        assertThat(done.usageComesLater()).isFalse();
        assertThat(done.usage()).isEqualTo(new TokenUsage(3, 0, 0, 0));
    }

    private static JsonNode data(byte[] event) throws Exception {
        String text = new String(event, StandardCharsets.UTF_8);
        assertThat(text).startsWith("event: error\n");
        return JSON.readTree(text.substring(text.indexOf("data: ") + 6));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
