package io.github.geminigateway.upload;

import io.github.geminigateway.config.Sha256;
import io.github.geminigateway.upstream.ApiKey;
import io.github.geminigateway.upstream.UpstreamEndpoint;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires resumable upload sessions. */
@Configuration(proxyBeanMethods = false)
public class UploadConfiguration {

    @Bean
    UploadUrlRewriter uploadUrlRewriter(UploadProperties properties, UpstreamKeyPool keys, UpstreamEndpoint endpoint) {
        return new UploadUrlRewriter(new UploadSessionSigner(signingSecret(properties, keys),
                properties.sessionTtl(), Clock.systemUTC()), endpoint.baseUrl(), Clock.systemUTC(),
                properties.sessionTtl());
    }

    @Bean
    PublicBaseUrl publicBaseUrl(PublicBaseUrlProperties properties) {
        return new PublicBaseUrl(properties.publicBaseUrl());
    }

    /** The configured secret, or one every replica derives alike from the upstream keys it already shares. */
    private static byte[] signingSecret(UploadProperties properties, UpstreamKeyPool keys) {
        if (properties.signingSecret() != null && !properties.signingSecret().isBlank()) {
            return properties.signingSecret().getBytes(StandardCharsets.UTF_8);
        }
        String material = keys.all().stream().map(ApiKey::reveal).sorted().collect(Collectors.joining("\n"));
        return Sha256.of("gemini-gateway upload sessions\n" + material);
    }
}
