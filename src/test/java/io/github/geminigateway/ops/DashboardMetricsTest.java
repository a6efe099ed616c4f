package io.github.geminigateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every metric the Grafana dashboard and the alert rules query must be one the gateway really exports, from its
 * start: a scrape before any request must already name every metric the JSON and the rules file use (a metric
 * without a series is "No data" on a panel, and rate() misses its first event). Then the gateway is driven through
 * the outcomes the dashboard shows (answers, streams, a truncation, a retry, a safety block, a limit rejection), and
 * the scrape must still name them all.
 */
class DashboardMetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:gemini_gateway|resilience4j|jvm|process)_[a-z_]+)");
    private static final String BODY = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";
    private static final String FINISHED = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"x\"}]},"
            + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 3,"
            + "\"candidatesTokenCount\": 2,\"thoughtsTokenCount\": 1,\"cachedContentTokenCount\": 1}}";
    private static final String UNFINISHED = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"x\"}]},"
            + "\"index\": 0}]}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.clients.team-a.requests-per-minute=7",
                "--gateway.models.[gemini-2.5-flash].requests-per-minute=1000",
                "--gateway.retry.initial-backoff=1ms",
                "--gateway.retry.max-backoff=2ms");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsInARealScrapeFromTheStart() throws IOException {
        Set<String> queried = new TreeSet<>();
        queried.addAll(metricsIn(Path.of("ops/grafana/gemini-gateway-dashboard.json")));
        queried.addAll(metricsIn(Path.of("ops/prometheus/alerts.yml")));
        assertThat(queried).as("metric names found in the dashboard and alert rules").hasSizeGreaterThan(15);

        // Before any request. GC pause meters appear once a collection has been reported, which the JVM does
        // asynchronously.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            System.gc();
            assertThat(metricNames(scrape())).containsAll(queried);
        });
        String atStart = scrape();
        assertThat(atStart)
                .as("zero series for the configured client and model, for every reason of the closed sets")
                .contains("gemini_gateway_limit_rejections_total{client=\"team-a\",limit=\"client_requests_per_minute\"} 0.0",
                        "gemini_gateway_upstream_retries_total{model=\"gemini-2.5-flash\",reason=\"status_503\"} 0.0",
                        "gemini_gateway_streams_truncated_total{model=\"gemini-2.5-flash\",reason=\"no_finish_reason\"} 0.0",
                        "resilience4j_circuitbreaker_state{name=\"gemini-2.5-flash\",state=\"open\"} 0.0")
                .as("no series for a model the configuration does not name, however well known")
                .doesNotContain("model=\"gemini-2.5-pro\"");

        WebClient client = gateway.client();
        upstream.enqueue(Reply.json(200, FINISHED),
                Reply.json(200, "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"}}"),
                Reply.events(UNFINISHED, FINISHED),
                Reply.events(UNFINISHED),
                Reply.json(503, "{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}"),
                Reply.json(200, FINISHED));
        generate(client);
        generate(client);
        stream(client);
        stream(client);
        generate(client);
        int status = 200;
        for (int i = 0; i < 10 && status != 429; i++) {
            status = generate(client);
        }
        assertThat(status).as("the client's requests-per-minute limit refused a request").isEqualTo(429);
        String afterTraffic = scrape();
        assertThat(metricNames(afterTraffic)).containsAll(queried);
        assertThat(afterTraffic).contains(
                "gemini_gateway_limit_rejections_total{client=\"team-a\",limit=\"client_requests_per_minute\"} 1.0",
                "gemini_gateway_upstream_retries_total{model=\"gemini-2.5-flash\",reason=\"status_503\"} 1.0",
                "gemini_gateway_streams_truncated_total{model=\"gemini-2.5-flash\",reason=\"no_finish_reason\"} 1.0");
    }

    private static String scrape() {
        return WebClient.create("http://127.0.0.1:" + gateway.managementPort())
                .get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
    }

    private static Set<String> metricNames(String scrape) {
        Set<String> exported = new TreeSet<>();
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> exported.add(line.split("[{ ]", 2)[0]));
        return exported;
    }

    private static int generate(WebClient client) {
        return client.post().uri("/v1beta/models/gemini-2.5-flash:generateContent")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(Duration.ofSeconds(10));
    }

    private static void stream(WebClient client) {
        client.post().uri("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .retrieve().bodyToFlux(String.class).collectList().block(Duration.ofSeconds(10));
    }

    private static Set<String> metricsIn(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
