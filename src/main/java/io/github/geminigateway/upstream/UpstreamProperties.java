package io.github.geminigateway.upstream;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Google is and which keys the gateway holds for it ({@code gateway.upstream.*}). Keys bind straight into
 * {@link ApiKey}, so no plain String copy of them sits in a bean that actuator could render.
 *
 * @param baseUrl        the Gemini API host; scheme, host, port and an optional path prefix are used
 * @param apiKeys        the upstream keys; {@code GEMINI_API_KEY} supplies one
 * @param maxConnections the upstream connection pool size, which bounds concurrent upstream calls
 */
@ConfigurationProperties("gateway.upstream")
public record UpstreamProperties(
        @DefaultValue("https://generativelanguage.googleapis.com") URI baseUrl,
        List<ApiKey> apiKeys,
        @DefaultValue("16384") int maxConnections) {

    public UpstreamProperties {
        apiKeys = apiKeys == null ? List.of() : apiKeys.stream().distinct().toList();
    }
}
