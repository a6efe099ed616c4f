package io.github.geminigateway.observability;

import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the model tag of every metric, and the set of per-model circuit breakers, closed: a model (or agent) the
 * operators configured or one of Google's public model ids is its own tag; anything else a caller typed into a path
 * or a body is {@code other}, so a caller cannot grow the metric series or the breakers without bound.
 */
public final class ModelTags {

    static final String OTHER = "other";
    static final String NONE = "none";

    private static final Set<String> KNOWN = Set.of(
            "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-flash-image",
            "gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-3-pro-preview", "gemini-3-flash-preview",
            "gemini-embedding-001", "text-embedding-004", "gemini-1.5-pro", "gemini-1.5-flash",
            "gemini-3.5-flash", "gemini-3.6-flash", "gemini-3.7-flash", "gemini-3.8-flash", "gemini-3.1-pro-preview",
            "gemini-3.1-flash-live-preview", "gemini-embedding-2", "deep-research-preview-04-2026",
            "antigravity-preview-05-2026");

    private final Set<String> allowed;
    private final Set<String> configured;

    public ModelTags(Set<String> configured) {
        Set<String> all = new HashSet<>(KNOWN);
        all.addAll(configured);
        this.allowed = Set.copyOf(all);
        this.configured = configured.isEmpty() ? Set.of(OTHER) : Set.copyOf(configured);
    }

    /**
     * The model tags the operators configured, which get their metric series and breakers at startup; {@code other}
     * alone when none is configured. Google's public ids are left out: each one would add a few hundred series of
     * zeros to every scrape for models a deployment may never call.
     */
    public Set<String> configured() {
        return configured;
    }

    public String of(String model) {
        if (model == null) {
            return NONE;
        }
        return allowed.contains(model) ? model : OTHER;
    }
}
