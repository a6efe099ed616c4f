package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.StreamDialect.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI chat stream dialect, chunk by chunk: when the stream may end (every choice finished), what a usage-only
 * chunk, a sentinel or an error is, and how usage and finish reasons are read.
 */
class OpenAiDialectTest {

    @Test
    void theStreamMayEndOnlyOnceEveryChoiceThatAppearedHasFinished() {
        OpenAiDialect dialect = new OpenAiDialect();
        ResponseFacts facts = new ResponseFacts();

        assertThat(dialect.read(chunk("[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null},"
                + "{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":null}]", null), facts))
                .isEqualTo(Verdict.CHUNK);
        assertThat(dialect.read(chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]", null), facts))
                .as("choice 1 is still open").isEqualTo(Verdict.CHUNK);
        assertThat(dialect.read(chunk("[{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]", null), facts))
                .isEqualTo(Verdict.FINAL);
        assertThat(dialect.read(chunk("[]", "{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":45,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}}"), facts))
                .as("a usage-only chunk changes nothing").isEqualTo(Verdict.PASS);
        assertThat(dialect.read(bytes("data: [DONE]\n\n"), facts)).isEqualTo(Verdict.DONE);

        assertThat(facts.usage()).isEqualTo(new TokenUsage(10, 20, 15, 4));
        assertThat(facts.usage().billable()).as("what Google bills: total_tokens").isEqualTo(45);
        assertThat(facts.finishReasons()).containsExactly("STOP", "MAX_TOKENS");
    }

    @Test
    void errorsInEitherShapeAndMalformedChunksAreToldApart() {
        OpenAiDialect dialect = new OpenAiDialect();
        ResponseFacts facts = new ResponseFacts();

        assertThat(dialect.read(bytes("data: {\"error\":{\"message\":\"x\"}}\n\n"), facts)).isEqualTo(Verdict.ERROR);
        assertThat(dialect.read(bytes("data: [{\"error\":{\"code\":500}}]\n\n"), facts)).isEqualTo(Verdict.ERROR);
        assertThat(dialect.read(bytes("data: [1]\n\n"), facts)).isEqualTo(Verdict.MALFORMED);
        assertThat(dialect.read(bytes("data: {\"choices\":{}}\n\n"), facts)).isEqualTo(Verdict.MALFORMED);
        assertThat(dialect.read(chunk("[{\"index\":99999,\"finish_reason\":\"stop\"}]", null), facts))
                .isEqualTo(Verdict.MALFORMED);
        assertThat(dialect.read(bytes(": keep-alive\n\n"), facts)).isEqualTo(Verdict.PASS);
    }

    @Test
    void aUsageWithNoneOfTheKnownCountsIsNotReadAsZero() {
        ResponseFacts facts = new ResponseFacts();

        byte[] answer = bytes("{\"data\":[],\"usage\":{\"input_tokens\":5}}");
        OpenAiScanner.scanAnswer(answer, 0, answer.length, facts);

        assertThat(facts.usage()).as("the estimate stays rather than a free call").isNull();
    }

    @Test
    void theTerminalErrorIsOneOpenAiErrorChunk() {
        String terminal = new String(new OpenAiDialect().terminalError(TruncationReason.IDLE_TIMEOUT, "req-9"),
                StandardCharsets.UTF_8);

        assertThat(terminal).startsWith("data: {\"error\":{").endsWith("}}\n\n")
                .contains("\"type\":\"timeout_error\"", "\"code\":\"DEADLINE_EXCEEDED\"", "(request id req-9)");
    }

    private static byte[] chunk(String choices, String usage) {
        return bytes("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":" + choices
                + (usage == null ? "" : ",\"usage\":" + usage) + "}\n\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
