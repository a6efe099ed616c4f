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

    public ModelTags(Set<String> configured) {
        Set<String> all = new HashSet<>(KNOWN);
        all.addAll(configured);
        this.allowed = Set.copyOf(all);
    }

    public String of(String model) {
        if (model == null) {
            return NONE;
        }
        return allowed.contains(model) ? model : OTHER;
    }
}
