package io.github.geminigateway.proxy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request handling settings at the top of the {@code gateway} namespace.
 *
 * @param maxRequestSize     largest request body the gateway reads (upload chunks stream through and are not
 *                           counted), inflated size included for a gzip body
 * @param maxBufferedBodies  the request-body bytes all requests together may hold at once; past it a request gets a
 *                           503 with Retry-After. Unset: a quarter of the JVM's maximum heap
 * @param maxBufferedBodiesPerClient what one client may hold of it; unset: half of it, so that no one client can
 *                           lock the others out
 */
@ConfigurationProperties("gateway")
public record ProxyProperties(@DefaultValue("20MB") DataSize maxRequestSize, DataSize maxBufferedBodies,
                              DataSize maxBufferedBodiesPerClient) {

    /** A quarter of the heap: a body is held as received and, while it is joined, once more as a copy. */
    long bufferedBodyLimit() {
        return maxBufferedBodies != null ? maxBufferedBodies.toBytes() : Runtime.getRuntime().maxMemory() / 4;
    }

    long bufferedBodyLimitPerClient() {
        return maxBufferedBodiesPerClient != null ? maxBufferedBodiesPerClient.toBytes() : bufferedBodyLimit() / 2;
    }
}
