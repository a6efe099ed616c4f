package io.github.geminigateway.surface;

import java.util.Map;

/** The scalar values of the wanted body fields ({@link BodyFields}) that a request carried. */
public final class BodyFacts {

    public static final BodyFacts NONE = new BodyFacts(Map.of());

    private final Map<String, String> values;

    BodyFacts(Map<String, String> values) {
        this.values = values;
    }

    /** The field's value as text, or null when the body has no such field (or it is null or not a scalar). */
    public String text(String path) {
        return values.get(path);
    }

    /** The first of the paths that is present: for fields Google accepts in two spellings. */
    public String text(String path, String otherSpelling) {
        String value = values.get(path);
        return value != null ? value : values.get(otherSpelling);
    }

    public boolean isTrue(String path) {
        return "true".equals(values.get(path));
    }
}
