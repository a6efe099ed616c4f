package io.github.geminigateway.auth;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The internal services allowed to call the gateway ({@code gateway.clients.<client-id>.*}). The map key is the client
 * id that logs, metrics and limits use; only the SHA-256 of each client's gateway key is configured, never the key.
 */
@ConfigurationProperties("gateway")
public record ClientProperties(Map<String, ClientConfig> clients) {

    public ClientProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
    }
}
