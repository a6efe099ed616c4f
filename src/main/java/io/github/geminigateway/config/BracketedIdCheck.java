package io.github.geminigateway.config;

import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Refuses to start when a setting is given under a client or model id that has dots but no brackets. Spring reads the
 * dots of {@code gateway.models.gemini-2.5-flash.requests-per-day} as nesting, so the budget would silently land on
 * a model called {@code gemini-2} and the real model would run unlimited; almost every Gemini model id has a dot,
 * so this is the mistake every operator would make once.
 */
public final class BracketedIdCheck {

    private static final Set<String> MAPS = Set.of("clients", "models");
    private static final Set<String> SETTINGS = Set.of("requests-per-minute", "tokens-per-minute",
            "max-concurrent-streams", "input-tokens-per-minute", "requests-per-day", "fallbacks", "key-sha256",
            "models");

    private BracketedIdCheck() {
    }

    public static void check(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource names) {
                names.stream().filter(BracketedIdCheck::unbracketedDottedId).findFirst()
                        .map(name -> name.isLastElementIndexed() ? name.getParent() : name).ifPresent(name -> {
                    throw new IllegalStateException(name + ": the id has dots, so it must be in brackets, as in "
                            + bracketed(name) + " (in YAML: \"[" + id(name) + "]\":)");
                });
            }
        }
    }

    private static boolean unbracketedDottedId(ConfigurationPropertyName name) {
        ConfigurationPropertyName setting = name.isLastElementIndexed() ? name.getParent() : name;
        return setting.getNumberOfElements() > 4 && setting.getElement(0, ConfigurationPropertyName.Form.UNIFORM)
                .equals("gateway") && MAPS.contains(setting.getElement(1, ConfigurationPropertyName.Form.UNIFORM))
                && SETTINGS.contains(setting.getLastElement(ConfigurationPropertyName.Form.DASHED));
    }

    private static String id(ConfigurationPropertyName name) {
        StringBuilder id = new StringBuilder();
        for (int i = 2; i < name.getNumberOfElements() - 1; i++) {
            id.append(i > 2 ? "." : "").append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        return id.toString();
    }

    private static String bracketed(ConfigurationPropertyName name) {
        return "gateway." + name.getElement(1, ConfigurationPropertyName.Form.ORIGINAL) + ".[" + id(name) + "]."
                + name.getLastElement(ConfigurationPropertyName.Form.DASHED);
    }
}
