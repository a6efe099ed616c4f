package io.github.geminigateway.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the API port waits on its callers ({@code gateway.server.*}), and how many connections one peer may hold.
 * Without these bounds a connection that sends half a request header, or half a body, or nothing after its last
 * answer, stays open for ever, and enough of them exhaust the gateway's file descriptors without any key.
 *
 * @param idleTimeout            a connection that has no request in flight (before its first request's headers are
 *                               complete, or between two requests) is closed after this long
 * @param readTimeout            the longest gap between two reads of a request body
 * @param requestTimeout         the longest a request body may take to arrive whole (upload chunks are 8 MiB)
 * @param maxConnectionsPerPeer  connections one remote address may hold at once; 0 for no cap. Behind an ingress or
 *                               a NAT every caller shares the proxy's address, so leave it off there
 */
@ConfigurationProperties("gateway.server")
public record ServerProperties(@DefaultValue("60s") Duration idleTimeout, @DefaultValue("30s") Duration readTimeout,
                               @DefaultValue("5m") Duration requestTimeout,
                               @DefaultValue("0") int maxConnectionsPerPeer) {
}
