package io.github.geminigateway.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream keys from a mounted file, one per line ({@code #} starts a comment), re-read when its content changes.
 * Kubernetes updates a mounted Secret by swapping a symlink, which file-watch APIs miss, so the file is polled: a
 * rotated key is live within one poll interval with no restart. A file that becomes unreadable keeps the keys the
 * gateway has; one that becomes empty keeps them too when no static keys are configured (with static keys, the file's
 * keys are dropped and the static ones stay), since dropping every key would turn a deployment mistake into an outage.
 */
public final class ApiKeyFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFile.class);

    private final Path path;
    private final List<ApiKey> staticKeys;
    private final UpstreamKeyPool pool;
    private final ScheduledExecutorService poller;
    private volatile String lastContent;

    public ApiKeyFile(Path path, List<ApiKey> staticKeys, UpstreamKeyPool pool, Duration interval) {
        this.path = path;
        this.staticKeys = List.copyOf(staticKeys);
        this.pool = pool;
        this.lastContent = readOrNull(path);
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-key-file");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::reload, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The keys in the file now; empty when it is missing or unreadable. */
    public static List<ApiKey> read(Path path) {
        String content = readOrNull(path);
        return content == null ? List.of() : parse(content);
    }

    void reload() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // A failure must not end the poller: scheduleWithFixedDelay stops rescheduling after an exception.
            log.warn("Reloading the upstream key file {} failed; keeping the current keys", path);
        }
    }

    private void reloadIfChanged() {
        String content = readOrNull(path);
        if (content == null || content.equals(lastContent)) {
            return;
        }
        lastContent = content;
        List<ApiKey> fileKeys = parse(content);
        if (fileKeys.isEmpty() && staticKeys.isEmpty()) {
            log.warn("The upstream key file {} has no keys now; keeping the current keys", path);
            return;
        }
        List<ApiKey> all = new ArrayList<>(staticKeys);
        fileKeys.stream().filter(key -> !all.contains(key)).forEach(all::add);
        pool.replace(all);
        log.info("Reloaded upstream keys from {}: now {}", path, all);
    }

    /** The keys of the file; a malformed line is skipped with a warning that names its number, never its text. */
    private static List<ApiKey> parse(String content) {
        List<ApiKey> keys = new ArrayList<>();
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ApiKey key = new ApiKey(line);
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            } catch (IllegalArgumentException e) {
                log.warn("Line {} of the upstream key file is not a key (expected 'key' or 'project:key'); skipped",
                        i + 1);
            }
        }
        return keys;
    }

    private static String readOrNull(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
