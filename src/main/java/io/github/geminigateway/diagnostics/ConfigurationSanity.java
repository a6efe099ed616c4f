package io.github.geminigateway.diagnostics;

import io.github.geminigateway.auth.ClientProperties;
import io.github.geminigateway.upstream.UpstreamEndpoint;
import io.github.geminigateway.upstream.UpstreamProperties;
import java.util.ArrayList;
import java.util.List;

/** Configuration mistakes that start fine but hurt later, each with what it means and what to change. */
final class ConfigurationSanity {

    private final ClientProperties clients;
    private final UpstreamProperties upstream;
    private final UpstreamEndpoint endpoint;

    ConfigurationSanity(ClientProperties clients, UpstreamProperties upstream, UpstreamEndpoint endpoint) {
        this.clients = clients;
        this.upstream = upstream;
        this.endpoint = endpoint;
    }

    List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(clients.clients().isEmpty()
                ? Check.fail("clients", 0, "no client is configured", "Every request is refused with 401.",
                        "Add gateway.clients.<id>.key-sha256 for each internal service.")
                : Check.ok("clients", 0, clients.clients().size() + " client(s) configured",
                        "Internal services can authenticate."));
        String scheme = endpoint.baseUrl().getScheme();
        String host = endpoint.baseUrl().getHost();
        boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host);
        checks.add(!"https".equalsIgnoreCase(scheme) && !loopback
                ? Check.warn("upstream-tls", 0, "the upstream base URL is " + scheme + "://" + host,
                        "Requests, and the upstream key, cross the network unencrypted.",
                        "Use an https:// gateway.upstream.base-url.")
                : Check.ok("upstream-tls", 0, "upstream base URL scheme " + scheme,
                        "The upstream key travels encrypted (or stays on this host)."));
        int keyCount = upstream.apiKeys().size() + (upstream.apiKeysFile() != null ? 1 : 0);
        checks.add(keyCount < 2
                ? Check.warn("key-rotation", 0, "one upstream key source", "A per-minute 429 or a rejected key "
                        + "stops all traffic until it clears.", "Configure keys of several Google projects "
                        + "(project:key) to spread quota.")
                : Check.ok("key-rotation", 0, keyCount + " upstream key sources", "Quota refusals can fail over."));
        // Over HTTP/2 a connection carries many calls, so the pool size is no bound on them.
        checks.add(!upstream.http2() && upstream.maxConcurrentRequests() > upstream.maxConnections()
                ? Check.warn("bulkhead", 0, "max-concurrent-requests " + upstream.maxConcurrentRequests()
                        + " exceeds max-connections " + upstream.maxConnections(), "Requests past the pool size "
                        + "queue for a connection instead of getting a fast 503.",
                        "Keep gateway.upstream.max-concurrent-requests at or below max-connections.")
                : Check.ok("bulkhead", 0, "at most " + upstream.maxConcurrentRequests() + " concurrent upstream "
                        + "calls", "Memory stays bounded under a spike; the excess gets a fast 503."));
        return checks;
    }
}
