package io.github.geminigateway.diagnostics;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Checks the way to the upstream layer by layer (DNS, TCP, TLS) so that a failure names the layer that broke: a DNS
 * failure is a resolver or egress-policy problem, a TCP failure a firewall or proxy problem, a TLS failure an
 * interception or trust-store problem. Blocking; run it off the event loop.
 */
final class ReachabilityChecks {

    private final URI baseUrl;
    private final int timeoutMillis;

    ReachabilityChecks(URI baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    List<Check> run() {
        List<Check> checks = new ArrayList<>();
        String host = baseUrl.getHost();
        boolean tls = "https".equalsIgnoreCase(baseUrl.getScheme());
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : tls ? 443 : 80;
        long start = System.nanoTime();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
            checks.add(Check.ok("dns", millisSince(start), host + " resolves to " + address.getHostAddress(),
                    "The gateway can resolve the upstream host."));
        } catch (Exception e) {
            checks.add(Check.fail("dns", millisSince(start), "cannot resolve " + host,
                    "The upstream host name does not resolve from the gateway's pods.",
                    "Check the cluster DNS and any egress policy that blocks DNS (port 53)."));
            return checks;
        }
        start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            checks.add(Check.ok("tcp", millisSince(start), "connected to " + host + ":" + port,
                    "The network path to the upstream is open."));
        } catch (Exception e) {
            checks.add(Check.fail("tcp", millisSince(start), "cannot connect to " + host + ":" + port,
                    "Something between the gateway and the upstream blocks the connection.",
                    "Check NetworkPolicy egress rules, firewalls and whether an HTTP proxy is required."));
            return checks;
        }
        if (tls) {
            start = System.nanoTime();
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(address, port), timeoutMillis);
                raw.setSoTimeout(timeoutMillis);
                try (SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(raw, host, port, true)) {
                    socket.startHandshake();
                    checks.add(Check.ok("tls", millisSince(start), "handshake with " + host + " using "
                            + socket.getSession().getProtocol(), "TLS to the upstream works and its certificate "
                            + "is trusted."));
                }
            } catch (Exception e) {
                checks.add(Check.fail("tls", millisSince(start), "TLS handshake with " + host + " failed",
                        "The TLS connection to the upstream cannot be established or its certificate is not trusted.",
                        "Check for a TLS-intercepting proxy and the JRE trust store of the gateway image."));
            }
        }
        return checks;
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
