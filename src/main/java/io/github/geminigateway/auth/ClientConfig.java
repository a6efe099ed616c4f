package io.github.geminigateway.auth;

import java.util.List;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One client's settings.
 *
 * @param keySha256 hex SHA-256 of the gateway key this client presents
 * @param models    model ids this client may use; empty means every model
 * @param agents    Interactions agent ids this client may run; empty means every agent if {@code models} is empty
 *                  too, else none
 */
public record ClientConfig(String keySha256, List<String> models, List<String> agents) {

    @ConstructorBinding
    public ClientConfig {
        models = models == null ? List.of() : List.copyOf(models);
        agents = agents == null ? List.of() : List.copyOf(agents);
    }

    public ClientConfig(String keySha256, List<String> models) {
        this(keySha256, models, List.of());
    }
}
