package io.github.geminigateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to a running gateway, as an SDK would make them, for the full-application limit tests. */
final class GeminiCalls {

    static final String HELLO = "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeminiCalls() {
    }

    static HttpResponse<String> generate(String baseUrl, String key) {
        return post(baseUrl + "/v1beta/models/gemini-2.5-flash:generateContent", key);
    }

    static HttpResponse<String> stream(String baseUrl, String key) {
        return post(baseUrl + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", key);
    }

    static String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build()).body();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> post(String url, String key) {
        return post(url, key, HELLO);
    }

    static HttpResponse<String> post(String url, String key, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("x-goog-api-key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
