package io.github.geminigateway.upload;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address callers reach the gateway at, for URLs the gateway hands out. {@code gateway.public-base-url} wins; behind
 * an ingress without it, the X-Forwarded-Proto/Host headers the ingress sets; otherwise the request's own Host. The
 * headers are the caller's to set, and the URL carries an upload token, so only a plain host (name or address, an
 * optional port) and http or https are taken from them; anything else falls back to the next source, and last to
 * the address the request reached.
 */
public final class PublicBaseUrl {

    /** A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port: nothing else. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\\[[0-9A-Fa-f:.]{2,45}])"
                    + "(?::[0-9]{1,5})?");

    private final String configured;

    public PublicBaseUrl(URI configured) {
        this.configured = configured == null ? null : stripTrailingSlash(configured.toString());
    }

    public String of(ServerHttpRequest request) {
        if (configured != null) {
            return configured;
        }
        HttpHeaders headers = request.getHeaders();
        String host = plainHost(first(headers.getFirst("X-Forwarded-Host")));
        if (host == null) {
            host = plainHost(headers.getFirst(HttpHeaders.HOST));
        }
        if (host == null) {
            host = plainHost(request.getURI().getRawAuthority());
        }
        if (host == null) {
            host = request.getLocalAddress() == null ? "localhost"
                    : request.getLocalAddress().getHostString() + ":" + request.getLocalAddress().getPort();
        }
        String proto = first(headers.getFirst("X-Forwarded-Proto"));
        if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
            proto = "https".equalsIgnoreCase(request.getURI().getScheme()) ? "https" : "http";
        }
        return proto.toLowerCase(Locale.ROOT) + "://" + host;
    }

    private static String plainHost(String value) {
        return value != null && HOST.matcher(value).matches() ? value : null;
    }

    private static String first(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        int comma = headerValue.indexOf(',');
        return (comma < 0 ? headerValue : headerValue.substring(0, comma)).strip();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
