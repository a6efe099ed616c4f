package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.support.TestTls;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of a fake Google over TLS, as in production: HTTP/1.1 by default, and h2 negotiated by ALPN
 * with {@code gateway.upstream.http2=true}. The fake's self-signed certificate is made trusted in this test's own JVM
 * (pom.xml, surefire execution upstream-tls). Each test has its own fake: closing a gateway application stops Reactor
 * Netty's shared event loops, and the fake's with them.
 */
class UpstreamTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GENERATE_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String SSE_PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String REQUEST = "{\"contents\": [{\"parts\": [{\"text\": \"why is the sky blue?\"}]}]}";
    private static final String FINAL_EVENT = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Rayleigh\"}],"
            + "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}";

    @BeforeAll
    static void trustTheFakesCertificate() {
        TestTls.trustInThisJvm();
    }

    @Test
    void byDefaultTheGatewayTalksHttp11OverTls() throws InterruptedException {
        try (FakeGemini upstream = FakeGemini.startTls(TestTls.serverKeys());
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(), "--gateway.upstream.http2=false")) {
            String answer = gateway.client().post().uri(GENERATE_PATH).header("Content-Type", "application/json")
                    .bodyValue(REQUEST).retrieve().bodyToMono(String.class).block(WAIT);

            assertThat(upstream.baseUrl()).startsWith("https://");
            assertThat(answer).isEqualTo(FakeGemini.GENERATE_JSON);
            RecordedRequest received = upstream.awaitRequest(WAIT);
            assertThat(received.protocol()).isEqualTo("HTTP/1.1");
            assertThat(received.headers().get("x-goog-api-key")).isEqualTo(RunningGateway.UPSTREAM_KEY);
        }
    }

    @Test
    void withHttp2OnItNegotiatesH2ByAlpnAndRelaysAStreamToItsCleanEnd() throws InterruptedException {
        try (FakeGemini upstream = FakeGemini.startTls(TestTls.serverKeys()).enqueue(Reply.events(FINAL_EVENT));
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(), "--gateway.upstream.http2=true")) {
            String answer = gateway.client().post().uri(SSE_PATH).header("Content-Type", "application/json")
                    .bodyValue(REQUEST).retrieve().bodyToMono(String.class).block(WAIT);

            RecordedRequest received = upstream.awaitRequest(WAIT);
            assertThat(received.protocol()).isEqualTo("HTTP/2.0");
            assertThat(received.bodyText()).isEqualTo(REQUEST);
            assertThat(answer).isEqualTo("data: " + FINAL_EVENT + "\r\n\r\n");
        }
    }
}
