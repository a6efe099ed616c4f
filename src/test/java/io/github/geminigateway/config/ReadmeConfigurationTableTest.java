package io.github.geminigateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is where operators look settings up, so it must list every {@code gateway.*}
 * setting the code binds. The configuration processor writes those settings, from the properties records, into the
 * metadata this test reads; a new setting without a README row fails the build.
 */
class ReadmeConfigurationTableTest {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void theReadmeTableListsEveryGatewaySetting() throws IOException {
        Set<String> bound = new TreeSet<>();
        for (JsonNode property : new ObjectMapper().readTree(METADATA.toFile()).path("properties")) {
            String name = property.path("name").asText();
            if (name.startsWith("gateway.")) {
                bound.add(name);
            }
        }
        assertThat(bound).as("gateway settings in %s", METADATA).hasSizeGreaterThan(30);

        Set<String> listed = settingsInTable(Files.readAllLines(Path.of("README.md")));
        // A map setting (gateway.clients) is listed by its entries' rows (gateway.clients.<id>.models).
        assertThat(bound.stream().filter(name -> !listed.contains(name)
                        && listed.stream().noneMatch(row -> row.startsWith(name + "."))))
                .as("settings the code binds but the README's configuration table does not list").isEmpty();
    }

    @Test
    void siblingsInOneRowAreReadAsFullNames() {
        assertThat(settingsInTable(List.of("## Configuration", "| Setting | Default | Meaning |",
                "| `gateway.retry.initial-backoff` / `max-backoff` | `250ms` | x |",
                "| `gateway.clients.<id>.requests-per-minute`, `.tokens-per-minute` | unlimited | `gateway.no` |")))
                .containsExactlyInAnyOrder("gateway.retry.initial-backoff", "gateway.retry.max-backoff",
                        "gateway.clients.<id>.requests-per-minute", "gateway.clients.<id>.tokens-per-minute");
    }

    /**
     * The names in the first column of the table under "## Configuration". A row may name siblings after the first
     * full name ({@code `gateway.retry.initial-backoff` / `max-backoff`}); they share its parent.
     */
    private static Set<String> settingsInTable(List<String> readme) {
        Set<String> names = new TreeSet<>();
        boolean inSection = false;
        for (String line : readme) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Configuration");
            } else if (inSection && line.startsWith("| `")) {
                String firstCell = line.substring(1, line.indexOf(" |", 1));
                Matcher code = CODE.matcher(firstCell);
                String parent = null;
                while (code.find()) {
                    String name = code.group(1);
                    if (parent == null || name.contains("gateway.")) {
                        names.add(name);
                        parent = name.substring(0, Math.max(0, name.lastIndexOf('.')));
                    } else {
                        names.add(parent + "." + (name.startsWith(".") ? name.substring(1) : name));
                    }
                }
            }
        }
        return names;
    }
}
