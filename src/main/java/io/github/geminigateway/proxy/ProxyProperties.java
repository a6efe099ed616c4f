package io.github.geminigateway.proxy;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request handling settings at the top of the {@code gateway} namespace.
 *
 * @param maxRequestSize largest request body the gateway reads (upload chunks stream through and are not counted)
 * @param publicBaseUrl  the gateway's address as callers see it, for rewritten upload URLs; optional
 */
@ConfigurationProperties("gateway")
public record ProxyProperties(@DefaultValue("20MB") DataSize maxRequestSize, URI publicBaseUrl) {
}
