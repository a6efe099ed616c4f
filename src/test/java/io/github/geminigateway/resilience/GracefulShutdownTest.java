package io.github.geminigateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayHttp;
import io.github.geminigateway.support.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * SIGTERM (closing the application context) while a stream is open: the gateway stops taking new requests at once,
 * but the open stream runs to its end, and only then does the shutdown complete. The upstream's events come from a
 * sink the test controls, so "the stream is still open" is a fact, not a timing guess.
 */
class GracefulShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String CHUNK_1 = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The sky looks "
            + "blue because\"}],\"role\": \"model\"},\"index\": 0}],\"modelVersion\": \"gemini-2.5-flash\"}";
    private static final String CHUNK_2 = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" of Rayleigh "
            + "scattering.\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"modelVersion\": "
            + "\"gemini-2.5-flash\"}";
    private static final String EVENT_1 = "data: " + CHUNK_1 + "\r\n\r\n";
    private static final String EVENT_2 = "data: " + CHUNK_2 + "\r\n\r\n";

    @Test
    void anOpenStreamRunsToItsEndWhileNewRequestsAreRefusedAndThenTheShutdownCompletes() throws Exception {
        try (FakeGemini upstream = FakeGemini.start()) {
            RunningGateway gateway = RunningGateway.start(upstream.baseUrl(),
                    "--spring.lifecycle.timeout-per-shutdown-phase=10s");
            String baseUrl = gateway.baseUrl();
            Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
            upstream.enqueue(Reply.sse(events.asFlux()));
            OpenStream stream = OpenStream.start(baseUrl + GatewayHttp.ssePath("gemini-2.5-flash"));
            assertThat(events.tryEmitNext(EVENT_1)).isEqualTo(Sinks.EmitResult.OK);
            await().atMost(WAIT).until(() -> stream.received().equals(EVENT_1));

            long closeStarted = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> refused(baseUrl));
            assertThat(stream.completed()).as("the open stream is still open").isFalse();
            assertThat(closing).as("the shutdown waits for the open stream").isNotDone();

            assertThat(events.tryEmitNext(EVENT_2)).isEqualTo(Sinks.EmitResult.OK);
            assertThat(events.tryEmitComplete()).isEqualTo(Sinks.EmitResult.OK);

            await().atMost(WAIT).until(stream::completed);
            assertThat(stream.failure()).isNull();
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.received()).isEqualTo(EVENT_1 + EVENT_2);
            closing.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** A new request on a new connection is refused: no connection, or a 503. */
    private static boolean refused(String baseUrl) {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + GatewayHttp.generatePath("gemini-2.5-flash")))
                .timeout(Duration.ofSeconds(2))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayHttp.REQUEST)).build();
        try {
            return fresh.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 503;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A streaming call read on a thread of its own, recording what has arrived so far. */
    private static final class OpenStream {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicBoolean completed = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int status;

        static OpenStream start(String url) {
            OpenStream stream = new OpenStream();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("x-goog-api-key", RunningGateway.CLIENT_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(GatewayHttp.REQUEST)).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenAcceptAsync(response -> {
                stream.status = response.statusCode();
                try (InputStream in = response.body()) {
                    byte[] read = new byte[8192];
                    for (int n = in.read(read); n >= 0; n = in.read(read)) {
                        stream.append(read, n);
                    }
                } catch (IOException e) {
                    stream.failure.set(e);
                }
                stream.completed.set(true);
            }).exceptionally(e -> {
                stream.failure.set(e);
                stream.completed.set(true);
                return null;
            });
            return stream;
        }

        private synchronized void append(byte[] read, int length) {
            bytes.write(read, 0, length);
        }

        synchronized String received() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        boolean completed() {
            return completed.get();
        }

        Throwable failure() {
            return failure.get();
        }

        int status() {
            return status;
        }
    }
}
