package io.github.geminigateway.config;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Masks the gateway's secrets in {@code /actuator/env} and {@code /actuator/configprops} even when an operator turns
 * on {@code show-values}: upstream keys, the upload signing secret, Redis credentials in a URL or password, and the
 * values that can hold any of them (SPRING_APPLICATION_JSON, the JVM's command line and option variables).
 */
@Configuration(proxyBeanMethods = false)
public class SecretSanitizing {

    /** Also whole values that can carry any setting: the JSON of SPRING_APPLICATION_JSON, the command line. */
    private static final Set<String> SECRET_FRAGMENTS = Set.of("api-keys", "apikeys", "gemini_api_key",
            "signing-secret", "signingsecret", "password", "redis.url", "redis_url", "spring_application_json",
            "spring.application.json", "sun.java.command", "jdk_java_options", "java_tool_options");

    @Bean
    SanitizingFunction gatewaySecrets() {
        return data -> isSecret(data) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }

    private static boolean isSecret(SanitizableData data) {
        String key = data.getKey() == null ? "" : data.getKey().toLowerCase(Locale.ROOT);
        return SECRET_FRAGMENTS.stream().anyMatch(key::contains);
    }
}
