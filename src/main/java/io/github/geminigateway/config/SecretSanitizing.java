package io.github.geminigateway.config;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Masks the gateway's secrets in {@code /actuator/env} and {@code /actuator/configprops} even when an operator turns
 * on {@code show-values}: upstream keys, the upload signing secret, and Redis credentials in a URL or password.
 */
@Configuration(proxyBeanMethods = false)
public class SecretSanitizing {

    private static final Set<String> SECRET_FRAGMENTS = Set.of("api-keys", "apikeys", "gemini_api_key",
            "signing-secret", "signingsecret", "password", "redis.url", "redis_url");

    @Bean
    SanitizingFunction gatewaySecrets() {
        return data -> isSecret(data) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }

    private static boolean isSecret(SanitizableData data) {
        String key = data.getKey() == null ? "" : data.getKey().toLowerCase(Locale.ROOT);
        return SECRET_FRAGMENTS.stream().anyMatch(key::contains);
    }
}
