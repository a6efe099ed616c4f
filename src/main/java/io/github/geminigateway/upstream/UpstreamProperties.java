package io.github.geminigateway.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Google is and which keys the gateway holds for it ({@code gateway.upstream.*}). Keys bind straight into
 * {@link ApiKey}, so no plain String copy of them sits in a bean that actuator could render.
 *
 * @param baseUrl        the Gemini API host; scheme, host, port and an optional path prefix are used
 * @param apiKeys        the upstream keys, each optionally as {@code project:key}; {@code GEMINI_API_KEY} supplies one
 * @param apiKeysFile    a file with more keys, one per line, re-read when it changes (a mounted Kubernetes Secret)
 * @param apiKeysFilePollInterval how often the key file is checked for a change
 * @param maxConnections the upstream connection pool size
 * @param maxConcurrentRequests the bulkhead: upstream calls in flight at once (streams included); past it callers
 *                       get a fast 503, so a traffic spike cannot grow memory without bound
 * @param http2          talk HTTP/2 to the upstream: calls share connections as streams (h2 by ALPN over https,
 *                       falling back to HTTP/1.1; prior-knowledge h2c over plain http)
 */
@ConfigurationProperties("gateway.upstream")
public record UpstreamProperties(
        @DefaultValue("https://generativelanguage.googleapis.com") URI baseUrl,
        List<ApiKey> apiKeys,
        Path apiKeysFile,
        @DefaultValue("10s") Duration apiKeysFilePollInterval,
        @DefaultValue("16384") int maxConnections,
        @DefaultValue("12000") int maxConcurrentRequests,
        @DefaultValue("false") boolean http2) {

    public UpstreamProperties {
        apiKeys = apiKeys == null ? List.of() : apiKeys.stream().distinct().toList();
    }
}
