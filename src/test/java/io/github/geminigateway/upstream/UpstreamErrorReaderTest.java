package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.geminigateway.error.ErrorType;
import io.github.geminigateway.error.UpstreamError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class UpstreamErrorReaderTest {

    private static final String KEY = "AIzaSy-upstream-secret-0123456789";
    private static final String OTHER_KEY = "AIzaSy-second-upstream-key-98765";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamErrorReader reader = new UpstreamErrorReader(
            () -> List.of(new ApiKey(KEY), new ApiKey(OTHER_KEY)));

    private static final String BAD_KEY_WITH_DEBUG_INFO = "{\n  \"error\": {\n    \"code\": 400,\n"
            + "    \"message\": \"API key not valid. Please pass a valid API key. (" + KEY + ")\",\n"
            + "    \"status\": \"INVALID_ARGUMENT\",\n    \"details\": [\n"
            + "      {\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\", \"reason\": \"API_KEY_INVALID\","
            + " \"domain\": \"googleapis.com\", \"metadata\": {\"service\": \"generativelanguage.googleapis.com\"}},\n"
            + "      {\"@type\": \"type.googleapis.com/google.rpc.DebugInfo\", \"detail\": \"[ORIGINAL ERROR] key="
            + KEY + " rejected by backend x.y.z\"},\n"
            + "      {\"@type\": \"type.googleapis.com/google.rpc.LocalizedMessage\", \"locale\": \"en-US\","
            + " \"message\": \"API key not valid. Please pass a valid API key.\"}\n    ]\n  }\n}\n";

    @Test
    void removesDebugInfoAndKeepsTheOtherDetailsStatusAndMessage() throws IOException {
        UpstreamError error = reader.read(400, bytes(BAD_KEY_WITH_DEBUG_INFO), false, "req-1");

        JsonNode body = JSON.readTree(error.body()).get("error");
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(body.get("message").asText()).startsWith("API key not valid.");
        assertThat(body.get("details").findValuesAsText("@type")).containsExactly(
                "type.googleapis.com/google.rpc.ErrorInfo", "type.googleapis.com/google.rpc.LocalizedMessage",
                "type.googleapis.com/google.rpc.RequestInfo");
        assertThat(text(error)).doesNotContain("DebugInfo", "ORIGINAL ERROR", "backend x.y.z");
    }

    @Test
    void redactsEveryUpstreamKeyWhereverItAppears() {
        String body = "{\"error\":{\"code\":403,\"message\":\"key " + KEY + " and " + OTHER_KEY + " refused\","
                + "\"status\":\"PERMISSION_DENIED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.Help\","
                + "\"links\":[{\"url\":\"https://x.example/?key=" + KEY + "\"}]}]}}";

        UpstreamError error = reader.read(403, bytes(body), false, "req-1");

        assertThat(text(error)).doesNotContain(KEY, OTHER_KEY).contains("[REDACTED]");
        assertThat(text(reader.read(400, bytes(BAD_KEY_WITH_DEBUG_INFO), false, "r"))).doesNotContain(KEY);
    }

    @Test
    void addsTheRequestIdAsRequestInfo() throws IOException {
        UpstreamError error = reader.read(404, bytes("{\"error\":{\"code\":404,\"message\":\"models/x is not "
                + "found\",\"status\":\"NOT_FOUND\"}}"), false, "req-42");

        JsonNode details = JSON.readTree(error.body()).get("error").get("details");
        assertThat(details).hasSize(1);
        assertThat(details.get(0).get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.RequestInfo");
        assertThat(details.get(0).get("requestId").asText()).isEqualTo("req-42");
    }

    @Test
    void aNonJsonBodyIsReplacedByAGeminiShapedError() throws IOException {
        String html = "<html><body>502 Bad Gateway from lb-7.internal.corp key=" + KEY + "</body></html>";

        UpstreamError error = reader.read(502, bytes(html), false, "req-7");

        JsonNode body = JSON.readTree(error.body()).get("error");
        assertThat(body.get("code").asInt()).isEqualTo(502);
        assertThat(body.get("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(body.get("message").asText()).contains("502");
        assertThat(body.get("details").get(0).get("requestId").asText()).isEqualTo("req-7");
        assertThat(text(error)).doesNotContain("lb-7", "<html>", KEY);
    }

    @Test
    void aJsonBodyThatIsNotAGoogleErrorIsReplacedToo() throws IOException {
        UpstreamError error = reader.read(500, bytes("{\"oops\": \"internal host db-3\"}"), false, "r");

        assertThat(JSON.readTree(error.body()).get("error").get("status").asText()).isEqualTo("INTERNAL");
        assertThat(text(error)).doesNotContain("db-3");
        assertThat(JSON.readTree(reader.read(404, new byte[0], false, "r").body()).at("/error/status").asText())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void parsesRetryInfoWithFractionalSeconds() {
        String body = "{\"error\":{\"code\":429,\"message\":\"Please retry in 53.016342224s.\",\"status\":"
                + "\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\","
                + "\"violations\":[{\"quotaId\":\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"53.016342224s\"}]}}";

        UpstreamError error = reader.read(429, bytes(body), false, "r");

        assertThat(error.retryDelay()).isEqualTo(Duration.ofSeconds(53, 16_342_224));
        assertThat(error.quotaIds()).containsExactly("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        assertThat(error.perDayQuota()).isFalse();
        assertThat(error.errorType()).isEqualTo(ErrorType.UPSTREAM_QUOTA_MINUTE);
        assertThat(text(error)).contains("RetryInfo");
    }

    @Test
    void parsesProtobufDurations() {
        assertThat(UpstreamErrorReader.parseDuration("53s")).isEqualTo(Duration.ofSeconds(53));
        assertThat(UpstreamErrorReader.parseDuration("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(UpstreamErrorReader.parseDuration("53.016342224s")).isEqualTo(Duration.ofNanos(53_016_342_224L));
        assertThat(UpstreamErrorReader.parseDuration(null)).isNull();
        assertThat(UpstreamErrorReader.parseDuration("53")).isNull();
        assertThat(UpstreamErrorReader.parseDuration("-1s")).isNull();
        assertThat(UpstreamErrorReader.parseDuration("abcs")).isNull();
    }

    @Test
    void classifiesPerDayQuotaAndInvalidKey() {
        String perDay = "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaId\":"
                + "\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"}]}]}}";

        assertThat(reader.read(429, bytes(perDay), false, "r").errorType()).isEqualTo(ErrorType.UPSTREAM_QUOTA_DAY);
        UpstreamError badKey = reader.read(400, bytes(BAD_KEY_WITH_DEBUG_INFO), false, "r");
        assertThat(badKey.reason()).isEqualTo("API_KEY_INVALID");
        assertThat(badKey.errorType()).isEqualTo(ErrorType.UPSTREAM_AUTH);
    }

    @Test
    void readsAGzipBodyAfterInflatingIt() throws IOException {
        UpstreamError error = reader.read(400, gzip(BAD_KEY_WITH_DEBUG_INFO), true, "req-gz");

        assertThat(JSON.readTree(error.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(text(error)).doesNotContain(KEY, "DebugInfo").contains("req-gz");
    }

    @Test
    void sanitizesAnErrorWrappedInAnArrayAsTheJsonStreamRouteSendsIt() {
        String wrapped = "[" + BAD_KEY_WITH_DEBUG_INFO + "]";

        UpstreamError error = reader.read(400, bytes(wrapped), false, "req-arr");

        assertThat(text(error)).startsWith("[").doesNotContain(KEY, "DebugInfo").contains("req-arr");
        assertThat(error.reason()).isEqualTo("API_KEY_INVALID");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(UpstreamError error) {
        return new String(error.body(), StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes(text));
        }
        return out.toByteArray();
    }
}
