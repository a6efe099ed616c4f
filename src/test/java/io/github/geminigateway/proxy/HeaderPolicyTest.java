package io.github.geminigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class HeaderPolicyTest {

    private final HeaderPolicy policy = new HeaderPolicy();

    private static HttpHeaders callerHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-goog-api-key", "gw-client-key");
        headers.set("Authorization", "Bearer client-token");
        headers.set("Cookie", "session=abc");
        headers.set("Proxy-Authorization", "Basic abc");
        headers.set("Host", "gateway.internal:8080");
        headers.set("X-Forwarded-For", "10.0.0.1");
        headers.set("X-Request-Id", "caller-id");
        headers.set("Content-Type", "application/json");
        headers.set("Accept", "*/*");
        headers.set("Accept-Encoding", "gzip");
        headers.set("User-Agent", "google-genai-sdk/2.0.0 gl-java/17");
        headers.set("x-goog-api-client", "google-genai-sdk/2.0.0 gl-java/17");
        headers.set("X-Server-Timeout", "30");
        headers.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        headers.set("X-Goog-Upload-Protocol", "resumable");
        headers.set("X-Goog-Upload-Command", "start");
        headers.set("X-Goog-Upload-Header-Content-Length", "12");
        headers.set("X-Goog-Upload-Header-Content-Type", "text/plain");
        headers.set("X-Goog-Upload-Offset", "0");
        headers.set("Transfer-Encoding", "chunked");
        headers.set("TE", "trailers");
        headers.set("Upgrade", "h2c");
        headers.set("Keep-Alive", "timeout=5");
        headers.set("Connection", "keep-alive");
        return headers;
    }

    @Test
    void neverForwardsTheCallersCredentials() {
        HttpHeaders forwarded = policy.upstreamRequestHeaders(callerHeaders(), false);

        assertThat(forwarded.keySet()).map(String::toLowerCase)
                .doesNotContain("x-goog-api-key", "authorization", "cookie", "proxy-authorization");
        assertThat(forwarded.toString()).doesNotContain("gw-client-key", "client-token", "session=abc");
    }

    @Test
    void forwardsOnlyTheAllowListedRequestHeaders() {
        HttpHeaders forwarded = policy.upstreamRequestHeaders(callerHeaders(), false);

        assertThat(forwarded.keySet()).map(String::toLowerCase).containsExactlyInAnyOrder(
                "content-type", "accept", "accept-encoding", "user-agent", "x-goog-api-client", "x-server-timeout",
                "traceparent", "x-goog-upload-protocol", "x-goog-upload-command",
                "x-goog-upload-header-content-length", "x-goog-upload-header-content-type", "x-goog-upload-offset");
        assertThat(forwarded.getFirst("x-goog-api-client")).isEqualTo("google-genai-sdk/2.0.0 gl-java/17");
        assertThat(forwarded.getFirst("X-Goog-Upload-Header-Content-Length")).isEqualTo("12");
    }

    @Test
    void dropsHopByHopRequestHeadersIncludingThoseTheConnectionHeaderNames() {
        HttpHeaders caller = callerHeaders();
        caller.set("Connection", "close, X-Goog-Api-Client , user-agent");

        HttpHeaders forwarded = policy.upstreamRequestHeaders(caller, false);

        assertThat(forwarded.keySet()).map(String::toLowerCase)
                .doesNotContain("connection", "keep-alive", "transfer-encoding", "te", "upgrade", "host",
                        "x-goog-api-client", "user-agent");
        assertThat(forwarded.getFirst("content-type")).isEqualTo("application/json");
    }

    @Test
    void dropsAcceptEncodingForStreamsOnly() {
        assertThat(policy.upstreamRequestHeaders(callerHeaders(), false).getFirst("accept-encoding"))
                .isEqualTo("gzip");
        assertThat(policy.upstreamRequestHeaders(callerHeaders(), true).containsKey("accept-encoding")).isFalse();
    }

    @Test
    void relaysResponseHeadersButDropsHopByHopAndConnectionNamedOnes() {
        DefaultHttpHeaders upstream = new DefaultHttpHeaders();
        upstream.add("Content-Type", "application/json; charset=UTF-8");
        upstream.add("Content-Encoding", "gzip");
        upstream.add("Vary", "Origin");
        upstream.add("Vary", "X-Origin");
        upstream.add("Server-Timing", "gfet4t7; dur=612");
        upstream.add("X-Goog-Upload-Status", "active");
        upstream.add("Connection", "keep-alive, X-Internal-Hop");
        upstream.add("X-Internal-Hop", "secret-routing");
        upstream.add("Keep-Alive", "timeout=5");
        upstream.add("Transfer-Encoding", "chunked");
        upstream.add("Trailer", "Expires");
        upstream.add("Upgrade", "h2c");
        upstream.add("Proxy-Authenticate", "Basic");
        upstream.add("Proxy-Connection", "keep-alive");
        upstream.add("Set-Cookie", "NID=abc");
        upstream.add("Alt-Svc", "h3=\":443\"");
        upstream.add("X-Goog-Upload-URL", "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=x");
        upstream.add("X-Request-Id", "upstream-id");
        upstream.add("x-http2-stream-id", "5");
        upstream.add("x-http2-scheme", "https");

        HttpHeaders relayed = policy.relayedResponseHeaders(upstream);

        assertThat(relayed.keySet()).map(String::toLowerCase).containsExactlyInAnyOrder(
                "content-type", "content-encoding", "vary", "server-timing", "x-goog-upload-status");
        assertThat(relayed.get("Vary")).containsExactly("Origin", "X-Origin");
        assertThat(relayed.getFirst("Server-Timing")).isEqualTo("gfet4t7; dur=612");
    }
}
