package io.github.geminigateway.upload;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gateway.public-base-url}: the gateway's address as callers see it, for the upload URLs it hands out. It sits
 * at the top of the {@code gateway} namespace, beside the proxy's settings, but only uploads read it.
 *
 * @param publicBaseUrl the gateway's address as callers see it; optional
 */
@ConfigurationProperties("gateway")
public record PublicBaseUrlProperties(URI publicBaseUrl) {
}
