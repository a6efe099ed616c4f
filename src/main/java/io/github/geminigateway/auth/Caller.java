package io.github.geminigateway.auth;

import java.util.Set;

/**
 * An authenticated internal client: its id, the models it may use (empty means all) and the Interactions agents it
 * may run. Agents are an allow-list of their own: an empty agents list means every agent only for a client whose
 * models are not restricted either, so a client held to some models cannot reach any model through an agent.
 */
public record Caller(String id, Set<String> models, Set<String> agents) {

    public Caller {
        models = Set.copyOf(models);
        agents = Set.copyOf(agents);
    }

    public boolean mayUse(String model) {
        return models.isEmpty() || models.contains(model);
    }

    /** Whether the client has no allow-list at all: it may use every model and every agent. */
    public boolean open() {
        return models.isEmpty() && agents.isEmpty();
    }

    public boolean mayUseAgent(String agent) {
        return agents.isEmpty() ? models.isEmpty() : agents.contains(agent);
    }
}
