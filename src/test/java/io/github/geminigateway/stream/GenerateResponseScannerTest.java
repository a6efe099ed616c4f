package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.limits.TokenUsage;
import io.github.geminigateway.stream.GenerateResponseScanner.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GenerateResponseScannerTest {

    private static Kind scan(String json, ResponseFacts facts) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return GenerateResponseScanner.scan(bytes, 0, bytes.length, facts);
    }

    @Test
    void readsUsageFromAChunkWithoutFinishReason() {
        ResponseFacts facts = new ResponseFacts();

        Kind kind = scan("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The sky\"}],\"role\": \"model\"},"
                + "\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 7,\"candidatesTokenCount\": 5,"
                + "\"totalTokenCount\": 60,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 7}],"
                + "\"thoughtsTokenCount\": 48,\"cachedContentTokenCount\": 2},\"modelVersion\": \"gemini-2.5-flash\"}",
                facts);

        assertThat(kind).isEqualTo(Kind.CHUNK);
        assertThat(facts.usage()).isEqualTo(new TokenUsage(7, 5, 48, 2));
        assertThat(facts.finishReasons()).isEmpty();
    }

    @Test
    void aCandidateWithFinishReasonMakesTheFinalChunk() {
        ResponseFacts facts = new ResponseFacts();

        Kind kind = scan("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"!\"}]},\"finishReason\": "
                + "\"MAX_TOKENS\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 7,"
                + "\"candidatesTokenCount\": 149}}", facts);

        assertThat(kind).isEqualTo(Kind.FINAL_CHUNK);
        assertThat(facts.finishReasons()).containsExactly("MAX_TOKENS");
        assertThat(facts.usage().billable()).isEqualTo(156);
    }

    @Test
    void theLatestUsageWinsBecauseItIsCumulative() {
        ResponseFacts facts = new ResponseFacts();
        scan("{\"usageMetadata\": {\"promptTokenCount\": 7,\"candidatesTokenCount\": 5}}", facts);
        scan("{\"usageMetadata\": {\"promptTokenCount\": 7,\"candidatesTokenCount\": 19}}", facts);

        assertThat(facts.usage().output()).isEqualTo(19);
    }

    @Test
    void aPromptBlockIsAFinalChunkWithItsReason() {
        ResponseFacts facts = new ResponseFacts();

        Kind kind = scan("{\"promptFeedback\": {\"blockReason\": \"SAFETY\",\"safetyRatings\": [{\"category\": "
                + "\"HARM_CATEGORY_HARASSMENT\",\"probability\": \"HIGH\"}]},\"usageMetadata\": "
                + "{\"promptTokenCount\": 9}}", facts);

        assertThat(kind).isEqualTo(Kind.FINAL_CHUNK);
        assertThat(facts.blockReason()).isEqualTo("SAFETY");
        assertThat(facts.finishReasons()).isEmpty();
    }

    @Test
    void aTopLevelErrorIsAnError() {
        ResponseFacts facts = new ResponseFacts();

        assertThat(scan("{\"error\": {\"code\": 500,\"message\": \"internal\",\"status\": \"INTERNAL\"}}", facts))
                .isEqualTo(Kind.ERROR);
        assertThat(scan("{\"candidates\": [{\"finishReason\": \"STOP\"}],\"error\": {\"code\": 500}}", facts))
                .isEqualTo(Kind.ERROR);
        assertThat(scan("{\"error\": {\"code\": 500},\"candidates\": [{\"finishReason\": \"STOP\"}]}", facts))
                .isEqualTo(Kind.ERROR);
    }

    @Test
    void malformedOrNonObjectJsonIsMalformed() {
        for (String malformed : new String[] {"{\"candidates\": [", "[{\"candidates\": []}]", "not json", "",
                "{\"a\": 1} trailing", "{\"a\": 1}{\"b\": 2}", "\"text\""}) {
            assertThat(scan(malformed, new ResponseFacts())).as(malformed).isEqualTo(Kind.MALFORMED);
        }
    }

    @Test
    void scansOnlyTheGivenSliceOfTheBuffer() {
        String json = "{\"candidates\": [{\"finishReason\": \"STOP\"}]}";
        byte[] event = ("data: " + json + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        ResponseFacts facts = new ResponseFacts();

        assertThat(GenerateResponseScanner.scan(event, 6, json.length(), facts)).isEqualTo(Kind.FINAL_CHUNK);
        assertThat(facts.finishReasons()).containsExactly("STOP");
    }

    @Test
    void unexpectedShapesAreSkippedNotMisread() {
        ResponseFacts facts = new ResponseFacts();

        Kind kind = scan("{\"candidates\": {\"finishReason\": \"STOP\"},\"usageMetadata\": [1,2],"
                + "\"promptFeedback\": \"x\",\"responseId\": \"abc\"}", facts);

        assertThat(kind).isEqualTo(Kind.CHUNK);
        assertThat(facts.finishReasons()).isEmpty();
        assertThat(facts.usage()).isNull();
        assertThat(facts.blockReason()).isNull();
    }
}
