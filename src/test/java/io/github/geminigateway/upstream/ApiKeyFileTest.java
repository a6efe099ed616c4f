package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed key file never ends reloading: its bad lines are skipped and a corrected file is picked up. */
class ApiKeyFileTest {

    @Test
    void aMalformedLineIsSkippedAndLaterReloadsStillWork(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "key-one-000000000000\n");
        UpstreamKeyPool pool = new UpstreamKeyPool(ApiKeyFile.read(file), Clock.systemUTC());
        try (ApiKeyFile watcher = new ApiKeyFile(file, List.of(), pool, Duration.ofHours(1))) {
            Files.writeString(file, "project-a:\n");
            watcher.reload();
            assertThat(pool.all()).containsExactly(new ApiKey("key-one-000000000000"));

            Files.writeString(file, "project-a:\nkey-two-111111111111\n");
            watcher.reload();
            assertThat(pool.all()).containsExactly(new ApiKey("key-two-111111111111"));
        }
    }
}
