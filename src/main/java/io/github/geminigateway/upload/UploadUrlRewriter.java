package io.github.geminigateway.upload;

import io.github.geminigateway.error.GatewayException;
import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Keeps resumable uploads on the gateway. Google's upload-start reply names an upload URL on Google's host; python-genai
 * would send the file there directly, bypassing the gateway, so the URL is rewritten to the gateway's public address
 * with the same path and query plus a signed token. JS and Java keep only path and query, and those stay intact.
 */
public final class UploadUrlRewriter {

    static final String TOKEN_PARAMETER = "gateway_upload_token";

    private final UploadSessionSigner signer;
    private final String upstreamPathPrefix;

    public UploadUrlRewriter(UploadSessionSigner signer, URI upstreamBaseUrl) {
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
        return new AuthorizedChunk(signer.verify(token, target), target);
    }

    private static java.util.stream.Stream<String> parameters(String rawQuery) {
        return Arrays.stream(rawQuery.split("&")).filter(p -> !p.isEmpty());
    }

    /**
     * @param clientId       the client the session was issued to
     * @param upstreamTarget path and query to send upstream, with the gateway's token removed
     */
    public record AuthorizedChunk(String clientId, String upstreamTarget) {
    }
}
