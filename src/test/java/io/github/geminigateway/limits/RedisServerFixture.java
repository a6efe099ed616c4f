package io.github.geminigateway.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.RedisServer;

/**
 * A real Redis server for the tests: a {@code redis:7-alpine} container where a Docker engine answers, otherwise the
 * redis-server binary that {@code embedded-redis} ships (the path CI takes, as it has no Docker). Either can be taken
 * down and brought back on the same address, to test what the gateway does while Redis is gone.
 */
final class RedisServerFixture implements AutoCloseable {

    static {
        // Plain unit tests run before Spring Boot has configured logging, when Logback logs everything at DEBUG.
        LoggingSystem.get(RedisServerFixture.class.getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME,
                LogLevel.INFO);
    }

    private static final boolean DOCKER = dockerAvailable();

    private final RedisServer embedded;
    private final GenericContainer<?> container;
    private final String url;

    private RedisServerFixture(RedisServer embedded, GenericContainer<?> container, String url) {
        this.embedded = embedded;
        this.container = container;
        this.url = url;
    }

    static RedisServerFixture start() {
        if (DOCKER) {
            GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            container.start();
            return new RedisServerFixture(null, container,
                    "redis://" + container.getHost() + ":" + container.getMappedPort(6379));
        }
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no")
                    .setting("dir " + Files.createTempDirectory("limits-redis"))
                    .build();
            server.start();
            return new RedisServerFixture(server, null, "redis://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return url;
    }

    /** Takes Redis away: the embedded server stops (connections refused), a container is paused (calls hang). */
    void takeDown() {
        if (embedded != null) {
            stopEmbedded();
        } else {
            container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
        }
    }

    /** Brings Redis back on the same address, empty for the embedded server. */
    void bringBack() {
        if (embedded != null) {
            try {
                embedded.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
        }
    }

    /** Makes Redis hold every client command for the given time without closing connections: a hung server. */
    void freeze(Duration duration) {
        command(connection -> connection.sync().clientPause(duration.toMillis()));
    }

    void flush() {
        command(connection -> connection.sync().flushall());
    }

    @Override
    public void close() {
        if (embedded != null) {
            stopEmbedded();
        } else {
            container.stop();
        }
    }

    private void stopEmbedded() {
        try {
            embedded.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void command(Consumer<StatefulRedisConnection<String, String>> action) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            action.accept(connection);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
