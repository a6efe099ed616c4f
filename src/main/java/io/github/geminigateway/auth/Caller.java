package io.github.geminigateway.auth;

import java.util.Set;

/**
 * An authenticated internal client: its id and the models it may use (empty means all).
 */
public record Caller(String id, Set<String> models) {

    public Caller {
        models = Set.copyOf(models);
    }

    public boolean mayUse(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
