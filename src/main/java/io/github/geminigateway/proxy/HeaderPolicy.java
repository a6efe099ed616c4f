package io.github.geminigateway.proxy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;

/**
 * Which headers cross the gateway. Requests use an allow-list, so no client credential (x-goog-api-key,
 * Authorization, Cookie) and nothing unforeseen reaches Google. Responses drop hop-by-hop headers, including those a
 * Connection header names, headers that only make sense for Google's own host, and the {@code x-http2-*} headers
 * Netty adds when it turns an HTTP/2 response into HTTP/1 form (stream id, scheme), which are not Google's.
 */
public final class HeaderPolicy {

    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of(
            "accept", "accept-encoding", "content-type", "content-encoding", "user-agent", "x-goog-api-client",
            "x-server-timeout", "api-revision", "traceparent", "tracestate",
            "x-goog-upload-protocol", "x-goog-upload-command", "x-goog-upload-header-content-length",
            "x-goog-upload-header-content-type", "x-goog-upload-file-name", "x-goog-upload-offset");

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "upgrade");

    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of(
            "set-cookie", "alt-svc", "x-goog-upload-url", "x-goog-upload-control-url", "x-request-id");

    private static final String HTTP2_CONVERSION_PREFIX = "x-http2-";

    /** The caller's headers that go upstream; streams ask for identity encoding so they can be relayed per event. */
    public HttpHeaders upstreamRequestHeaders(HttpHeaders callerHeaders, boolean stream) {
        Set<String> connectionTokens = connectionTokens(callerHeaders.getFirst(HttpHeaders.CONNECTION));
        HttpHeaders forwarded = new HttpHeaders();
        // Looks up the few allowed names rather than walking every header the caller sent: cheaper per request.
        for (String name : FORWARDED_REQUEST_HEADERS) {
            if (connectionTokens.contains(name) || stream && name.equals("accept-encoding")) {
                continue;
            }
            List<String> values = callerHeaders.get(name);
            if (values != null && !values.isEmpty()) {
                forwarded.addAll(name, values);
            }
        }
        return forwarded;
    }

    /** The upstream response headers that are relayed to the caller. */
    @SuppressWarnings("checkstyle:InlineQualifiedName")  // Netty's HttpHeaders beside Spring's: one is named in full
    public HttpHeaders relayedResponseHeaders(io.netty.handler.codec.http.HttpHeaders upstreamHeaders) {
        Set<String> connectionTokens = connectionTokens(upstreamHeaders.get(HttpHeaders.CONNECTION));
        HttpHeaders relayed = new HttpHeaders();
        for (var header : upstreamHeaders) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !DROPPED_RESPONSE_HEADERS.contains(lower)
                    && !connectionTokens.contains(lower) && !lower.startsWith(HTTP2_CONVERSION_PREFIX)) {
                relayed.add(header.getKey(), header.getValue());
            }
        }
        return relayed;
    }

    private static Set<String> connectionTokens(String connection) {
        // The usual values name no other header: skip the split on every keep-alive request and response.
        if (connection == null || connection.equalsIgnoreCase("keep-alive") || connection.equalsIgnoreCase("close")) {
            return Set.of();
        }
        return Arrays.stream(connection.split(",")).map(token -> token.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }
}
