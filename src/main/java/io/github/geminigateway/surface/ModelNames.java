package io.github.geminigateway.surface;

import io.github.geminigateway.error.GatewayException;
import java.util.regex.Pattern;

/**
 * Model and agent ids as the policies compare them: without the {@code models/} (or {@code agents/}) prefix, and
 * checked, so that a name the allow-list judged is exactly the name Google serves.
 */
public final class ModelNames {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ModelNames() {
    }

    /** The id in a body field ({@code models/gemini-3.6-flash} or {@code gemini-3.6-flash}); null stays null. */
    public static String fromBody(String value, String prefix, String field) {
        if (value == null) {
            return null;
        }
        String id = value.startsWith(prefix) ? value.substring(prefix.length()) : value;
        if (!ID.matcher(id).matches()) {
            throw GatewayException.invalidArgument("Malformed '" + field + "' in the request body: an id is "
                    + "letters, digits, '.', '_' and '-', optionally after '" + prefix + "'.");
        }
        return id;
    }
}
