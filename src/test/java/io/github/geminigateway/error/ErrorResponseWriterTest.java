package io.github.geminigateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.geminigateway.error.ErrorResponseWriter.ErrorReply;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import reactor.netty.channel.AbortedException;

class ErrorResponseWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ErrorResponseWriter writer = new ErrorResponseWriter();

    @Test
    void writesAGeminiShapedJsonErrorWithTheRequestId() throws Exception {
        MockServerWebExchange exchange = exchange();

        write(exchange, GatewayException.permissionDenied("Client 'team-a' may not use model 'x'."), "req-1");

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        JsonNode error = JSON.readTree(exchange.getResponse().getBodyAsString().block()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(403);
        assertThat(error.get("status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(error.get("message").asText()).isEqualTo("Client 'team-a' may not use model 'x'.");
        assertThat(error.get("details").get(0).get("@type").asText())
                .isEqualTo("type.googleapis.com/google.rpc.RequestInfo");
        assertThat(error.get("details").get(0).get("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void aRetryAfterIsRoundedUpToWholeSeconds() throws Exception {
        MockServerWebExchange exchange = exchange();
        GatewayException limited = new GatewayException(ErrorStatus.RESOURCE_EXHAUSTED, ErrorType.CALLER_LIMITED,
                "Too many requests.", List.of(Map.of("@type", "type.googleapis.com/google.rpc.RetryInfo",
                "retryDelay", "1.2s")), Duration.ofMillis(1200));

        write(exchange, limited, "req-2");

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("2");
        JsonNode details = JSON.readTree(exchange.getResponse().getBodyAsString().block()).at("/error/details");
        assertThat(details.findValuesAsText("@type")).containsExactly("type.googleapis.com/google.rpc.RetryInfo",
                "type.googleapis.com/google.rpc.RequestInfo");
    }

    @Test
    void springsOwnStatusesBecomeGeminiErrors() {
        assertThat(writer.translate(new ResponseStatusException(HttpStatus.NOT_FOUND)).status())
                .isEqualTo(ErrorStatus.NOT_FOUND);
        assertThat(writer.translate(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED)).status())
                .isEqualTo(ErrorStatus.METHOD_NOT_ALLOWED);
        assertThat(writer.translate(new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE)).status())
                .isEqualTo(ErrorStatus.PAYLOAD_TOO_LARGE);
        assertThat(writer.translate(new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE)).status())
                .isEqualTo(ErrorStatus.INVALID_ARGUMENT);
    }

    /** A caller hanging up mid-body was logged at ERROR as a gateway bug and counted as gateway_internal. */
    @Test
    void aCallerThatHungUpMidRequestIsTheCallersErrorNotAnInternalOne() {
        GatewayException error = writer.translate(new AbortedException("Connection has been closed"));

        assertThat(error.status()).isEqualTo(ErrorStatus.INVALID_ARGUMENT);
        assertThat(error.errorType()).isEqualTo(ErrorType.CALLER_INVALID);
    }

    @Test
    void anUnexpectedFailureIsABare500WithoutItsMessageOrStackTrace() throws Exception {
        MockServerWebExchange exchange = exchange();

        write(exchange, new IllegalStateException("secret internal detail at db-3"), "req-3");

        String body = exchange.getResponse().getBodyAsString().block();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(JSON.readTree(body).at("/error/status").asText()).isEqualTo("INTERNAL");
        assertThat(body).doesNotContain("secret internal detail", "IllegalStateException", "at io.");
        assertThat(body).contains("req-3");
    }

    @Test
    void onTheOpenAiRouteTheSameErrorTakesTheShapeTheOpenAiSdksParse() throws Exception {
        ErrorReply reply = writer.reply(GatewayException.permissionDenied("Client 'team-a' may not use model 'x'."),
                "req-4", ErrorBodyShape.OPENAI);

        assertThat(reply.status()).isEqualTo(403);
        JsonNode error = JSON.readTree(reply.body()).get("error");
        assertThat(error.get("message").asText()).isEqualTo("Client 'team-a' may not use model 'x'. (request id req-4)");
        assertThat(error.get("type").asText()).isEqualTo("permission_error");
        assertThat(error.get("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(error.has("param")).isTrue();
    }

    @Test
    void googlesArrayShapedErrorFromTheCompatibleRouteBecomesOneOpenAiErrorObject() throws Exception {
        byte[] googles = ("[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted.\","
                + "\"status\":\"RESOURCE_EXHAUSTED\"}}]").getBytes(StandardCharsets.UTF_8);
        UpstreamError upstream = new UpstreamErrorReader(List::of).read(429, googles, false, "req-5");

        ErrorReply reply = writer.reply(new RelayedUpstreamError(upstream, new HttpHeaders()), "req-5",
                ErrorBodyShape.OPENAI);

        JsonNode root = JSON.readTree(reply.body());
        assertThat(root.isObject()).isTrue();
        assertThat(root.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(root.at("/error/code").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(root.at("/error/message").asText()).isEqualTo("Resource has been exhausted. (request id req-5)");
    }

    private void write(MockServerWebExchange exchange, Throwable failure, String requestId) {
        writer.write(exchange, writer.reply(failure, requestId, ErrorBodyShape.GEMINI), failure).block();
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/v1beta/models/x:generateContent"));
    }
}
