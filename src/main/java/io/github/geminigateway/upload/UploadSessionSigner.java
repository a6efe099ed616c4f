package io.github.geminigateway.upload;

import io.github.geminigateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds a caller to one of Google's upload sessions with a signed token carried in the upload URL itself. Chunk
 * requests from python-genai carry no key, so the token is what authorises them; because it is self-contained, any
 * replica can check it and no session table has to be shared between replicas.
 *
 * <p>The token is {@code <client>.<expiry>.<mac>}, where the MAC covers the client id, the expiry and Google's own
 * upload path and query, so it cannot be moved to another session, another client or a later time.
 */
public final class UploadSessionSigner {

    private static final String HMAC = "HmacSHA256";

    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;

    public UploadSessionSigner(byte[] secret, Duration ttl, Clock clock) {
        this.secret = secret.clone();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A token for this client and this upstream upload target (path and query as Google sent them). */
    public String sign(String clientId, String uploadTarget) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        return clientId + "." + expiry + "." + mac(clientId, expiry, uploadTarget);
    }

    /** The client id the token was issued to; a forged, altered or expired token is a 401. */
    public String verify(String token, String uploadTarget) {
        // From the right: a client id may contain dots itself ("team.search"), the expiry and the MAC cannot.
        int macDot = token == null ? -1 : token.lastIndexOf('.');
        int expiryDot = macDot <= 0 ? -1 : token.lastIndexOf('.', macDot - 1);
        if (expiryDot <= 0) {
            throw invalid();
        }
        String[] parts = {token.substring(0, expiryDot), token.substring(expiryDot + 1, macDot),
                token.substring(macDot + 1)};
        long expiry;
        try {
            expiry = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        byte[] expected = mac(parts[0], expiry, uploadTarget).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            throw invalid();
        }
        if (clock.instant().getEpochSecond() > expiry) {
            throw GatewayException.unauthenticated("The upload session has expired; start the upload again.");
        }
        return parts[0];
    }

    private String mac(String clientId, long expiry, String uploadTarget) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            byte[] signed = mac.doFinal((clientId + "\n" + expiry + "\n" + uploadTarget)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static GatewayException invalid() {
        return GatewayException.unauthenticated("The upload URL is not one this gateway issued, or it was altered.");
    }
}
