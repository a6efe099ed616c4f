package io.github.geminigateway.upload;

import io.github.geminigateway.error.GatewayException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps resumable uploads on the gateway. Google's upload-start reply names an upload URL on Google's host; python-genai
 * would send the file there directly, bypassing the gateway, so the URL is rewritten to the gateway's public address
 * with the same path and query plus a signed token. JS and Java keep only path and query, and those stay intact.
 */
public final class UploadUrlRewriter {

    static final String TOKEN_PARAMETER = "gateway_upload_token";

    /** Upload sessions ended (final or cancelled) on this replica, kept for as long as a token could be valid. */
    private static final int ENDED_SESSIONS = 100_000;

    private final UploadSessionSigner signer;
    private final String upstreamPathPrefix;
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    public UploadUrlRewriter(UploadSessionSigner signer, URI upstreamBaseUrl) {
        this(signer, upstreamBaseUrl, Clock.systemUTC(), Duration.ofHours(24));
    }

    /** @param ttl how long a token is valid, so how long an ended session must be remembered */
    public UploadUrlRewriter(UploadSessionSigner signer, URI upstreamBaseUrl, Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
        this.signer = signer;
        String prefix = upstreamBaseUrl.getRawPath() == null ? "" : upstreamBaseUrl.getRawPath();
        this.upstreamPathPrefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The upload URL to hand the caller in place of Google's. */
    public String rewrite(String googleUploadUrl, String clientId, String publicBaseUrl) {
        URI google = URI.create(googleUploadUrl);
        String path = google.getRawPath();
        if (!upstreamPathPrefix.isEmpty() && path.startsWith(upstreamPathPrefix + "/")) {
            path = path.substring(upstreamPathPrefix.length());
        }
        String target = google.getRawQuery() == null ? path : path + "?" + google.getRawQuery();
        String separator = google.getRawQuery() == null ? "?" : "&";
        return publicBaseUrl + target + separator + TOKEN_PARAMETER + "=" + signer.sign(clientId, target);
    }

    /** Whether this request is a chunk of an upload session the gateway signed (rather than an upload start). */
    public boolean isChunk(String rawQuery) {
        return rawQuery != null && parameters(rawQuery).anyMatch(p -> p.startsWith(TOKEN_PARAMETER + "="));
    }

    /** Checks the chunk's token and returns what to forward upstream and which client it belongs to. */
    public AuthorizedChunk authorize(String rawPath, String rawQuery) {
        String token = parameters(rawQuery).filter(p -> p.startsWith(TOKEN_PARAMETER + "="))
                .map(p -> p.substring(TOKEN_PARAMETER.length() + 1)).findFirst()
                .orElseThrow(() -> GatewayException.unauthenticated("The upload URL carries no session token."));
        String upstreamQuery = parameters(rawQuery).filter(p -> !p.startsWith(TOKEN_PARAMETER + "="))
                .collect(Collectors.joining("&"));
        String target = upstreamQuery.isEmpty() ? rawPath : rawPath + "?" + upstreamQuery;
        String clientId = signer.verify(token, target);
        if (ended.containsKey(target)) {
            throw GatewayException.unauthenticated("The upload session has ended; start a new upload.");
        }
        return new AuthorizedChunk(clientId, target);
    }

    /**
     * The session answered {@code X-Goog-Upload-Status: final} or {@code cancelled}: its URL authorises nothing
     * more on this replica, so a leaked URL cannot be replayed for the rest of its token's life. Another replica
     * relies on Google, which refuses chunks for an ended session.
     */
    public void ended(String upstreamTarget) {
        long now = clock.millis();
        if (ended.size() >= ENDED_SESSIONS) {
            ended.values().removeIf(until -> until < now);
        }
        if (ended.size() < ENDED_SESSIONS) {
            ended.put(upstreamTarget, now + ttl.toMillis());
        }
    }

    private static Stream<String> parameters(String rawQuery) {
        return Arrays.stream(rawQuery.split("&")).filter(p -> !p.isEmpty());
    }

    /**
     * @param clientId       the client the session was issued to
     * @param upstreamTarget path and query to send upstream, with the gateway's token removed
     */
    public record AuthorizedChunk(String clientId, String upstreamTarget) {
    }
}
