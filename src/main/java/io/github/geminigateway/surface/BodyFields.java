package io.github.geminigateway.surface;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.geminigateway.error.GatewayException;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The request-body fields a surface's policies need, as dotted paths through nested objects ({@code model},
 * {@code batch.model}), read in the same single pass that checks the body is well-formed JSON. A wanted field must be
 * a single value (an object or a list there is a 400); every other subtree is skipped token by token, never turned
 * into objects.
 *
 * <p>A wanted field that appears twice is refused: JSON parsers disagree on which duplicate wins, and the gateway
 * must judge the same model that Google will serve.
 */
public final class BodyFields {

    public static final BodyFields NONE = new BodyFields(Set.of());

    private final Set<String> paths;
    private final Set<String> parents = new HashSet<>();

    private BodyFields(Set<String> paths) {
        this.paths = Set.copyOf(paths);
        for (String path : paths) {
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                parents.add(path.substring(0, dot));
            }
        }
    }

    public static BodyFields of(String... paths) {
        return new BodyFields(Set.of(paths));
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /** Reads the wanted fields of the JSON value the parser is positioned on, consuming the whole value. */
    public BodyFacts read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return BodyFacts.NONE;
        }
        Map<String, String> found = new HashMap<>();
        readObject(parser, "", found);
        return new BodyFacts(found);
    }

    private void readObject(JsonParser parser, String prefix, Map<String, String> found) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix.isEmpty() ? parser.currentName() : prefix + "." + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT && parents.contains(path)) {
                readObject(parser, path, found);
            } else if (paths.contains(path)) {
                if (found.containsKey(path)) {
                    throw GatewayException.invalidArgument("Invalid JSON payload received: the field '" + path
                            + "' appears more than once.");
                }
                if (!value.isScalarValue()) {
                    // An object or a list where a string belongs: a model the allow-list could not judge.
                    throw GatewayException.invalidArgument("Invalid JSON payload received: the field '" + path
                            + "' must be a single value.");
                }
                found.put(path, value == JsonToken.VALUE_NULL ? null : parser.getText());
            } else {
                parser.skipChildren();
            }
        }
    }
}
