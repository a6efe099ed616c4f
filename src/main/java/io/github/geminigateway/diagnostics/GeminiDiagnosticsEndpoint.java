package io.github.geminigateway.diagnostics;

import io.github.geminigateway.auth.ClientProperties;
import io.github.geminigateway.upstream.ApiKey;
import io.github.geminigateway.upstream.Deadlines;
import io.github.geminigateway.upstream.TimeoutProperties;
import io.github.geminigateway.upstream.UpstreamClient;
import io.github.geminigateway.upstream.UpstreamEndpoint;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import io.github.geminigateway.upstream.UpstreamProperties;
import io.github.geminigateway.upstream.UpstreamRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /actuator/gemini}: tests the dependency, the credentials, the quotas and the configuration independently,
 * so an operator sees which one is broken instead of a wall of 5xx. Keys are named by fingerprint, never by value.
 * Each call makes one cheap upstream request per key (list one model), so it is for people, not for probes.
 */
@Endpoint(id = "gemini")
public class GeminiDiagnosticsEndpoint {

    /** How long one run's report serves further requests. */
    static final Duration REUSE = Duration.ofSeconds(30);

    private static final String LIST_ONE_MODEL = "/v1beta/models?pageSize=1";

    private final UpstreamEndpoint endpoint;
    private final UpstreamClient client;
    private final UpstreamKeyPool keys;
    private final UpstreamErrorReader errors;
    private final CircuitBreakerRegistry breakers;
    private final ConfigurationSanity sanity;
    private final Duration timeout;
    private final Deadlines deadlines;
    private final Mono<Map<String, Object>> lastReport;

    public GeminiDiagnosticsEndpoint(UpstreamEndpoint endpoint, UpstreamClient client, UpstreamKeyPool keys,
                                     UpstreamErrorReader errors, CircuitBreakerRegistry breakers,
                                     ClientProperties clients, UpstreamProperties upstream,
                                     TimeoutProperties timeouts) {
        this.endpoint = endpoint;
        this.client = client;
        this.keys = keys;
        this.errors = errors;
        this.breakers = breakers;
        this.sanity = new ConfigurationSanity(clients, upstream, endpoint);
        this.timeout = timeouts.connect().plusSeconds(5);
        this.deadlines = timeouts.standard();
        // Every key is tried against Google on each run: however often the endpoint is hit, once per REUSE at most.
        this.lastReport = Mono.defer(this::runChecks).cache(REUSE);
    }

    /** The report of the last run, if it is less than {@link #REUSE} old; else a new run's. */
    @ReadOperation
    public Mono<Map<String, Object>> diagnose() {
        return lastReport;
    }

    private Mono<Map<String, Object>> runChecks() {
        Mono<List<Check>> reachability = Mono.fromCallable(() -> new ReachabilityChecks(endpoint.baseUrl(),
                timeout).run()).subscribeOn(Schedulers.boundedElastic());
        Mono<Check> http = httpCheck();
        Mono<List<Check>> keyChecks = Flux.fromIterable(keys.all()).concatMap(this::keyCheck).collectList();
        return Mono.zip(reachability, http, keyChecks).map(results -> {
            List<Check> upstream = new ArrayList<>(results.getT1());
            upstream.add(results.getT2());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("checkedAt", Instant.now().toString());
            report.put("upstream", endpoint.baseUrl().toString());
            report.put("reachability", upstream);
            report.put("keys", results.getT3());
            report.put("quota", quotaState());
            report.put("configuration", sanity.run());
            report.put("status", overall(upstream, results.getT3()));
            return report;
        });
    }

    private Mono<Check> httpCheck() {
        long start = System.nanoTime();
        return Mono.defer(() -> client.exchange(request(), null))
                .timeout(timeout)
                .map(response -> {
                    response.discard();
                    return Check.ok("http", ReachabilityChecks.millisSince(start), "GET models answered HTTP "
                            + response.status() + " without a key", "The upstream API answers HTTP requests.");
                })
                .onErrorResume(e -> Mono.just(Check.fail("http", ReachabilityChecks.millisSince(start),
                        "no HTTP answer from the upstream", "The upstream accepts connections but does not answer.",
                        "Check for a proxy in the way and the upstream's status page.")));
    }

    private Mono<Check> keyCheck(ApiKey key) {
        String name = "key " + key.fingerprint();
        long start = System.nanoTime();
        return Mono.defer(() -> client.exchange(request(), key))
                .timeout(timeout)
                .flatMap(response -> {
                    if (response.status() < 400) {
                        response.discard();
                        return Mono.just(Check.ok(name, ReachabilityChecks.millisSince(start),
                                "listing models works", "The key is valid and may call the Gemini API."));
                    }
                    return errors.read(response, "diagnostics").map(error -> {
                        long millis = ReachabilityChecks.millisSince(start);
                        if ("API_KEY_INVALID".equals(error.reason()) || error.httpStatus() == 401) {
                            return Check.fail(name, millis, "Google rejects the key (HTTP " + error.httpStatus()
                                    + ")", "The key is invalid, deleted or mistyped; the gateway does not use it.",
                                    "Replace it in the upstream key Secret; the key file is re-read without restart.");
                        }
                        if (error.httpStatus() == 403) {
                            return Check.fail(name, millis, "HTTP 403 for the key", "The key lacks permission: the "
                                    + "Generative Language API may be disabled for its project, or the key is "
                                    + "restricted.", "Enable the API for the key's project or lift the key's "
                                    + "API restrictions.");
                        }
                        if (error.httpStatus() == 429) {
                            return Check.warn(name, millis, "HTTP 429 for the key", "The key's project is out of "
                                    + "quota right now.", "See the quota section; raise the tier or add keys of "
                                    + "another project.");
                        }
                        return Check.warn(name, millis, "HTTP " + error.httpStatus() + " for the key",
                                "The upstream answered with an unexpected error.", "Retry; if it persists, check "
                                        + "the upstream's status page.");
                    });
                })
                .onErrorResume(e -> Mono.just(Check.fail(name, ReachabilityChecks.millisSince(start),
                        "no answer while checking the key", "The upstream could not be reached to check this key.",
                        "Fix reachability first.")));
    }

    private Map<String, Object> quotaState() {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("lastQuotaRefusals", keys.lastQuotaEvents());
        quota.put("activeCooldowns", keys.activeCooldowns());
        Map<String, String> breakerStates = new LinkedHashMap<>();
        breakers.getAllCircuitBreakers().forEach(b -> breakerStates.put(b.getName(), b.getState().name()));
        quota.put("circuitBreakers", breakerStates);
        return quota;
    }

    private UpstreamRequest request() {
        return new UpstreamRequest(HttpMethod.GET, LIST_ONE_MODEL, new HttpHeaders(), Mono.empty(), deadlines);
    }

    private static String overall(List<Check> upstream, List<Check> keyChecks) {
        boolean reachable = upstream.stream().noneMatch(check -> check.status().equals("fail"));
        boolean anyKeyWorks = keyChecks.stream().anyMatch(check -> check.status().equals("ok"));
        return reachable && anyKeyWorks ? "ok" : reachable ? "degraded" : "fail";
    }
}
