package io.github.geminigateway.upload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resumable upload sessions ({@code gateway.uploads.*}).
 *
 * @param signingSecret the HMAC secret that signs upload URLs; every replica must share it. When unset, it is derived
 *                      from the upstream keys, which replicas share anyway (rotating the keys then ends open uploads)
 * @param sessionTtl    how long a signed upload URL stays valid
 */
@ConfigurationProperties("gateway.uploads")
public record UploadProperties(String signingSecret, @DefaultValue("24h") Duration sessionTtl) {

    @Override
    public String toString() {
        return "UploadProperties[signingSecret=" + (signingSecret == null ? "derived" : "******")
                + ", sessionTtl=" + sessionTtl + "]";
    }
}
