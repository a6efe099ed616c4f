package io.github.geminigateway.auth;

import java.util.List;

/**
 * One client's settings.
 *
 * @param keySha256 hex SHA-256 of the gateway key this client presents
 * @param models    model ids this client may use; empty means every model
 */
public record ClientConfig(String keySha256, List<String> models) {

    public ClientConfig {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
