package io.github.geminigateway.upload;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address callers reach the gateway at, for URLs the gateway hands out. {@code gateway.public-base-url} wins; behind
 * an ingress without it, the X-Forwarded-Proto/Host headers the ingress sets; otherwise the request's own Host.
 */
public final class PublicBaseUrl {

    private final String configured;

    public PublicBaseUrl(URI configured) {
        this.configured = configured == null ? null : stripTrailingSlash(configured.toString());
    }

    public String of(ServerHttpRequest request) {
        if (configured != null) {
            return configured;
        }
        HttpHeaders headers = request.getHeaders();
        String host = first(headers.getFirst("X-Forwarded-Host"));
        String proto = first(headers.getFirst("X-Forwarded-Proto"));
        if (host == null) {
            host = headers.getFirst(HttpHeaders.HOST);
        }
        if (host == null) {
            host = request.getURI().getRawAuthority();
        }
        if (proto == null) {
            proto = request.getURI().getScheme() == null ? "http" : request.getURI().getScheme();
        }
        return proto + "://" + host;
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
