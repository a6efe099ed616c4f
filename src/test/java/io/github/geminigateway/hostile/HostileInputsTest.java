package io.github.geminigateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18's hostile caller, as a seeded fuzz: an authenticated client sends gzip bombs, bodies past the size and the
 * gateway-wide budget, Google system parameters in every spelling, made-up and malformed model ids, duplicated and
 * misshapen governed fields, and holds half-sent connections open, many at once. Whatever it sends, the gateway
 * answers with a caller error or its own protective refusal (never a 500), its key stays in rotation, liveness
 * answers within a second throughout, the body budget is never exceeded and is all given back, and the metric series
 * stay bounded.
 */
class HostileInputsTest {

    private static final long SEED = 20261202L;
    private static final int ROUNDS = 240;
    private static final int AT_ONCE = 12;
    private static final long BUDGET = 4L * 1024 * 1024;
    private static final Duration LIVENESS_BOUND = Duration.ofSeconds(1);
    private static final int MAX_SERIES = 600;
    private static final byte[] GZIP_BOMB = gzipBomb();
    /** What a hostile caller may get: its own mistakes, refusals, and the gateway's protective 503. */
    private static final Set<Integer> ALLOWED = Set.of(200, 400, 401, 403, 404, 405, 408, 413, 429, 503);

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.max-request-size=1MB",
                "--gateway.max-buffered-bodies=" + BUDGET + "B",
                "--gateway.server.idle-timeout=1s",
                "--gateway.server.read-timeout=1s",
                // 240 access lines in a burst through surefire's stdout pipe once stalled the event loops that
                // write them (a full pipe blocks the writer) long enough to time a scrape out; the access log is
                // LogOutputTest's subject, not this one's.
                "--logging.level.gateway.access=WARN");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void noHostileInputTakesTheGatewayItsKeyOrItsLimitsDown() throws Exception {
        Random random = new Random(SEED);
        Set<String> madeUpModels = ConcurrentHashMap.newKeySet();
        List<Socket> halfSent = openHalfSentConnections(8);
        List<Integer> statuses = new ArrayList<>();
        long worstLiveness = 0;
        long mostHeld = 0;
        try {
            for (int round = 0; round < ROUNDS; round += AT_ONCE) {
                // A client per batch: no pooled connection outlives the gateway's 1 s idle timeout into the next.
                HttpClient http = client();
                List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    batch.add(http.sendAsync(hostileRequest(random, madeUpModels),
                            HttpResponse.BodyHandlers.ofString()));
                }
                mostHeld = Math.max(mostHeld, bufferedBytes());
                worstLiveness = Math.max(worstLiveness, livenessMillis());
                for (CompletableFuture<HttpResponse<String>> answer : batch) {
                    HttpResponse<String> response = answer.join();
                    statuses.add(response.statusCode());
                    assertThat(response.statusCode()).as(response.body()).isIn(ALLOWED);
                    assertThat(response.body()).doesNotContain(RunningGateway.UPSTREAM_KEY);
                    if (response.statusCode() == 503) {
                        assertThat(response.body()).contains("request bodies");
                        assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    }
                }
            }
        } finally {
            for (Socket socket : halfSent) {
                socket.close();
            }
        }

        assertThat(statuses).hasSize(ROUNDS).contains(200, 400, 413);
        assertThat(worstLiveness).as("liveness ms at worst").isLessThan(LIVENESS_BOUND.toMillis());
        assertThat(mostHeld).isLessThanOrEqualTo(BUDGET);
        assertThat(bufferedBytes()).as("every body given back").isZero();
        String scrape = prometheus();
        assertThat(scrape.lines().filter(line -> line.startsWith("gemini_gateway_upstream_key_healthy{")))
                .as("the key stays in rotation").isNotEmpty().allMatch(line -> line.endsWith(" 1.0"));
        assertThat(scrape).doesNotContain("error_type=\"gateway_internal\"");
        assertThat(madeUpModels).noneMatch(scrape::contains);
        long series = scrape.lines().filter(line -> line.startsWith("gemini_gateway_")
                || line.startsWith("resilience4j")).filter(line -> !line.contains("_bucket{")).count();
        assertThat(series).as("series other than histogram buckets").isLessThan(MAX_SERIES);
        HttpResponse<String> ordinary = client().send(generate("gemini-2.5-flash", "", json("{\"contents\":[]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ordinary.statusCode()).as("the key still serves").isEqualTo(200);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest hostileRequest(Random random, Set<String> madeUpModels) {
        return switch (random.nextInt(9)) {
            case 0 -> generate("gemini-2.5-flash", "", HttpRequest.BodyPublishers.ofByteArray(GZIP_BOMB))
                    .header("Content-Encoding", "gzip").build();
            case 1 -> generate("gemini-2.5-flash", "", json("{\"contents\":\"" + "x".repeat(1_100_000) + "\"}"))
                    .build();
            case 2 -> generate("gemini-2.5-flash", "", json("{\"contents\":\"" + "y".repeat(900_000) + "\"}"))
                    .build();
            case 3 -> generate("gemini-2.5-flash", "?" + SYSTEM_PARAMETERS[random.nextInt(SYSTEM_PARAMETERS.length)],
                    json("{\"contents\":[]}")).build();
            case 4 -> {
                String model = "made-up-" + Long.toHexString(random.nextLong());
                madeUpModels.add(model);
                yield generate(model, "", json("{\"contents\":[]}")).build();
            }
            case 5 -> post("/v1beta/" + ODD_PATHS[random.nextInt(ODD_PATHS.length)], json("{\"contents\":[]}"))
                    .build();
            case 6 -> post("/v1beta/interactions", json(ODD_BODIES[random.nextInt(ODD_BODIES.length)])).build();
            case 7 -> post("/v1beta/models/gemini-2.5-flash:generateContent",
                    json("{\"contents\": [" + "[".repeat(random.nextInt(3000)))).build();
            default -> generate("gemini-2.5-flash", "", json("{\"contents\":[]}")).build();
        };
    }

    private static final String[] SYSTEM_PARAMETERS = {"%24key=bogus", "$key=bogus", "access_token=bogus",
            "%24access_token=bogus", "oauth_token=bogus", "$httpMethod=DELETE", "alt=proto", "fields=candidates",
            "$ct=text/plain", "callback=x", "userProject=p", "KEY=bogus", "key", "model=gemini-3.1-pro-preview"};

    private static final String[] ODD_PATHS = {"Models/gemini-2.5-flash:generateContent",
            "models/..%2Fsecret:generateContent", "models/gemini-2.5-flash:GENERATE", "models/%00:generateContent",
            "models/" + "a".repeat(300) + ":generateContent", "agents", "auth_tokens", "tunedModels",
            "interactions:create", "models/gemini-2.5-flash:batchGenerateContent"};

    private static final String[] ODD_BODIES = {"{\"model\":[\"gemini-2.5-flash\"]}", "{\"input\":\"hi\"}",
            "{\"model\":\"a\",\"model\":\"b\"}", "{\"model\":{\"x\":1}}", "{\"model\":\"../etc\"}",
            "{\"model\":\"gemini-2.5-flash\",\"agent\":\"x\"}", "{\"mod\\u0065l\":\"gemini-3.1-pro-preview\"}", "[]",
            "{\"model\":\"gemini-2.5-flash\",\"stream\":true,\"input\":\"hi\"}"};

    private static HttpRequest.Builder generate(String model, String query, HttpRequest.BodyPublisher body) {
        return post("/v1beta/models/" + model + ":generateContent" + query, body);
    }

    private static HttpRequest.Builder post(String path, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY).header("Content-Type", "application/json")
                .POST(body);
    }

    private static HttpRequest.BodyPublisher json(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    /** About 50 KB of gzip that inflates to 50 MB. */
    private static byte[] gzipBomb() {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("{\"contents\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] zeros = new byte[1024 * 1024];
            Arrays.fill(zeros, (byte) '0');
            for (int i = 0; i < 50; i++) {
                gzip.write(zeros);
            }
            gzip.write("\"}".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return compressed.toByteArray();
    }

    private static List<Socket> openHalfSentConnections(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket("127.0.0.1", gateway.port());
            socket.getOutputStream().write(("POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Length: 1000\r\n").getBytes(StandardCharsets.UTF_8));
            sockets.add(socket);
        }
        return sockets;
    }

    /**
     * A new connection for every probe: the JDK client's pooled connections, which the gateway's 1 s idle timeout
     * closes, left a probe waiting out its whole timeout now and then while the gateway's event loops sat idle.
     */
    private static long livenessMillis() {
        long start = System.nanoTime();
        RawHttp.Answer answer = RawHttp.send("http://127.0.0.1:" + gateway.managementPort(), "GET",
                "/actuator/health/liveness", Map.of(), null);
        assertThat(answer.status()).isEqualTo(200);
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static long bufferedBytes() {
        return prometheus().lines().filter(line -> line.startsWith("gemini_gateway_request_bodies_buffered_bytes "))
                .map(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    private static String prometheus() {
        return RawHttp.send("http://127.0.0.1:" + gateway.managementPort(), "GET", "/actuator/prometheus", Map.of(),
                null).text();
    }
}
