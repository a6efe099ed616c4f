package io.github.geminigateway.resilience;

import static io.github.geminigateway.support.GatewayHttp.generatePath;
import static io.github.geminigateway.support.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.GatewayHttp.Answer;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.RunningGateway;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A caller that hangs up while the gateway still waits for Google's headers must give back what it held: its
 * bulkhead permit and its stream slot. Each test runs its own gateway (with a capacity of one) and proves the next
 * call gets through once the abandoned one is over.
 */
class EarlyHangUpTest {

    @Test
    void aCallerThatHangsUpWhileWaitingForHeadersReleasesItsBulkheadPermit() throws Exception {
        try (FakeGemini upstream = FakeGemini.start();
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(), "--gateway.timeouts.first-byte=1s",
                     "--gateway.upstream.max-concurrent-requests=1")) {
            upstream.enqueue(Reply.silence());
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                String body = GatewayHttp.REQUEST;
                socket.getOutputStream().write(("POST " + generatePath("gemini-2.5-flash") + " HTTP/1.1\r\nHost: x\r\n"
                        + "x-goog-api-key: " + RunningGateway.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes());
                socket.getOutputStream().flush();
                assertThat(upstream.awaitRequest(Duration.ofSeconds(5))).isNotNull();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.connectionsClosed() >= 1);
            // Well past the 1 s first-byte timeout, the hung-up call cannot be holding the permit any more.
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Answer next = post(gateway, generatePath("gemini-2.5-flash"));
                assertThat(next.status()).isEqualTo(200);
            });
        }
    }

    @Test
    void aStreamCallerThatHangsUpWhileWaitingForHeadersFreesItsStreamSlot() throws Exception {
        try (FakeGemini upstream = FakeGemini.start();
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(), "--gateway.timeouts.first-byte=1s",
                     "--gateway.clients.team-a.max-concurrent-streams=1")) {
            upstream.enqueue(Reply.silence());
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                String body = GatewayHttp.REQUEST;
                socket.getOutputStream().write(("POST " + GatewayHttp.ssePath("gemini-2.5-flash") + " HTTP/1.1\r\nHost: x\r\n"
                        + "x-goog-api-key: " + RunningGateway.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes());
                socket.getOutputStream().flush();
                assertThat(upstream.awaitRequest(Duration.ofSeconds(5))).isNotNull();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.connectionsClosed() >= 1);
            upstream.enqueue(Reply.events("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"x\"}]},\"finishReason\": \"STOP\"}]}"));
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Answer next = post(gateway, GatewayHttp.ssePath("gemini-2.5-flash"));
                assertThat(next.status()).isEqualTo(200);
            });
        }
    }
}
