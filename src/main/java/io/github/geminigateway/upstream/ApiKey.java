package io.github.geminigateway.upstream;

import com.fasterxml.jackson.annotation.JsonValue;
import io.github.geminigateway.config.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An upstream Gemini API key. The value is reachable only through {@link #reveal()}, which the one place that writes
 * the upstream request header calls; every other rendering (toString, logs, metrics, actuator) sees the fingerprint,
 * the first 8 hex digits of the key's SHA-256, which identifies a key to operators without disclosing it.
 */
public final class ApiKey {

    private final String value;
    private final String fingerprint;
    private final String project;

    /**
     * @param configured the key, optionally prefixed by the Google project it belongs to, as {@code project:key};
     *                   Google keys contain no colon. Keys without a project each count as a project of their own.
     */
    public ApiKey(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("an API key must not be blank");
        }
        String text = configured.strip();
        int colon = text.indexOf(':');
        this.value = colon < 0 ? text : text.substring(colon + 1).strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an API key must not be blank");
        }
        this.fingerprint = Sha256.hex(this.value).substring(0, 8);
        this.project = colon < 0 ? "key-" + fingerprint : text.substring(0, colon).strip();
    }

    public String reveal() {
        return value;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The Google project whose quota this key draws on. */
    public String project() {
        return project;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey key && MessageDigest.isEqual(
                key.value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    @JsonValue
    public String toString() {
        return "ApiKey[" + fingerprint + "]";
    }
}
