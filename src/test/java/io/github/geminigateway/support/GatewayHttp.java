package io.github.geminigateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain blocking HTTP calls to a running gateway, each timed with {@link System#nanoTime()}, so that a test can assert
 * both what the caller got and how long it took. Every call has a hard timeout, so a hanging gateway fails the test
 * instead of hanging the build.
 */
public final class GatewayHttp {

    public static final String REQUEST = "{\"contents\": [{\"parts\": [{\"text\": \"hi\"}]}]}";
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHttp() {
    }

    public static String generatePath(String model) {
        return "/v1beta/models/" + model + ":generateContent";
    }

    public static String ssePath(String model) {
        return "/v1beta/models/" + model + ":streamGenerateContent?alt=sse";
    }

    /** POSTs the standard request with team-a's key and any extra header name/value pairs. */
    public static Answer post(RunningGateway gateway, String path, String... headerPairs) {
        return post(gateway.baseUrl() + path, RunningGateway.CLIENT_KEY, headerPairs);
    }

    public static Answer post(String url, String clientKey, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
                .header("x-goog-api-key", clientKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST));
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new IllegalStateException("the call to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The management port's Prometheus scrape. */
    public static String prometheus(RunningGateway gateway) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.managementPort()
                + "/actuator/prometheus")).timeout(CALL_TIMEOUT).GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("the scrape failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** What the caller got, and how long the whole call took. */
    public record Answer(int status, HttpHeaders headers, String body, Duration elapsed) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return GatewayHttp.json(body);
        }

        public long millis() {
            return elapsed.toMillis();
        }
    }
}
