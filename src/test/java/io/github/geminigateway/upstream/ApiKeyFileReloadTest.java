package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Keys from a mounted file are re-read when the file changes, so a rotated Kubernetes Secret needs no restart. The
 * file is replaced the way Kubernetes does it, by an atomic swap, and the test waits for the poller rather than for
 * a fixed time. A file that turns up empty keeps the keys the gateway has.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyFileReloadTest {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private ApiKeyFile watcher;

    @AfterEach
    void stopWatching() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void aRewrittenFileReplacesThePoolsKeys() throws IOException {
        Path file = write("key-one-000000000000\n");
        UpstreamKeyPool pool = new UpstreamKeyPool(ApiKeyFile.read(file), Clock.systemUTC());
        watcher = new ApiKeyFile(file, List.of(), pool, POLL);

        write("# rotated\nkey-two-111111111111\n\nkey-three-22222222222\n");

        await().atMost(WAIT).untilAsserted(() -> assertThat(pool.all())
                .containsExactly(key("key-two-111111111111"), key("key-three-22222222222")));
    }

    @Test
    void staticKeysStayAlongsideTheFileKeys() throws IOException {
        Path file = write("key-one-000000000000\n");
        List<ApiKey> configured = List.of(key("static-key-99999999999"));
        UpstreamKeyPool pool = new UpstreamKeyPool(List.of(key("static-key-99999999999"), key("key-one-000000000000")),
                Clock.systemUTC());
        watcher = new ApiKeyFile(file, configured, pool, POLL);

        write("key-two-111111111111\n");

        await().atMost(WAIT).untilAsserted(() -> assertThat(pool.all())
                .containsExactly(key("static-key-99999999999"), key("key-two-111111111111")));
    }

    @Test
    void aFileThatTurnsUpEmptyKeepsTheKeysTheGatewayHas(CapturedOutput output) throws IOException {
        Path file = write("key-one-000000000000\n");
        UpstreamKeyPool pool = new UpstreamKeyPool(ApiKeyFile.read(file), Clock.systemUTC());
        watcher = new ApiKeyFile(file, List.of(), pool, POLL);

        write("# nothing here yet\n");

        await().atMost(WAIT).until(() -> output.getAll().contains("has no keys now; keeping the current keys"));
        assertThat(pool.all()).containsExactly(key("key-one-000000000000"));
    }

    @Test
    void aRejectedKeyThatStaysInTheFileStaysRejected() throws IOException {
        Path file = write("key-one-000000000000\nkey-two-111111111111\n");
        UpstreamKeyPool pool = new UpstreamKeyPool(ApiKeyFile.read(file), Clock.systemUTC());
        pool.reject(key("key-one-000000000000"));
        watcher = new ApiKeyFile(file, List.of(), pool, POLL);

        write("key-one-000000000000\nkey-two-111111111111\nkey-three-22222222222\n");

        await().atMost(WAIT).untilAsserted(() -> assertThat(pool.all()).hasSize(3));
        assertThat(pool.isRejected(key("key-one-000000000000"))).isTrue();
        assertThat(pool.isRejected(key("key-three-22222222222"))).isFalse();
    }

    /** Replaces keys.txt atomically, as a Kubernetes Secret update swaps its files. */
    private Path write(String content) throws IOException {
        Path target = directory.resolve("keys.txt");
        Path staged = Files.createTempFile(directory, "keys", ".tmp");
        Files.writeString(staged, content);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static ApiKey key(String value) {
        return new ApiKey(value);
    }
}
