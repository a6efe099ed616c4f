package io.github.geminigateway.limits.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import reactor.core.publisher.Mono;

/**
 * The limit store's one Redis connection (Lettuce multiplexes every request over it), opened without ever blocking
 * a caller. Lettuce reconnects a connection it once had by itself, but never retries a first connect that failed
 * (Redis down when the gateway starts), so this class starts a new attempt whenever the last one failed; concurrent
 * requests share the attempt in flight instead of each opening a socket. While disconnected, commands are refused
 * at once instead of queueing for a reconnect that may take minutes, and every command has the store's timeout.
 */
public final class RedisConnector implements AutoCloseable {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final RedisClient client;
    private final ClientResources resources;
    private final RedisURI uri;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> current =
            new AtomicReference<>();

    private RedisConnector(RedisClient client, ClientResources resources, RedisURI uri) {
        this.client = client;
        this.resources = resources;
        this.uri = uri;
    }

    /**
     * A connector for {@code spring.data.redis.*}. It starts connecting at once, in the background, so the first
     * request does not pay for the connect (which can take longer than the command timeout); if that fails, the
     * first command tries again.
     */
    public static RedisConnector open(RedisProperties properties, Duration commandTimeout) {
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources);
        Duration connectTimeout = properties.getConnectTimeout() != null ? properties.getConnectTimeout()
                : DEFAULT_CONNECT_TIMEOUT;
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(commandTimeout).build())
                .build());
        RedisConnector connector = new RedisConnector(client, resources, uri(properties, commandTimeout));
        connector.attempt();
        return connector;
    }

    Mono<StatefulRedisConnection<String, String>> connection() {
        return Mono.defer(() -> Mono.fromFuture(attempt(), true));
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> attempt() {
        CompletableFuture<StatefulRedisConnection<String, String>> last = current.get();
        if (last != null && !last.isCompletedExceptionally()) {
            return last;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> next = new CompletableFuture<>();
        if (!current.compareAndSet(last, next)) {
            return current.get();
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((connection, failure) -> {
            if (failure != null) {
                next.completeExceptionally(failure);
            } else {
                preload(connection).whenComplete((loaded, ignored) -> next.complete(connection));
            }
        });
        return next;
    }

    /**
     * Loads the scripts before the first request needs them, so that request is one EVALSHA rather than a NOSCRIPT
     * answer and an EVAL that compiles the script, which on a busy machine can outlast the command timeout. A failed
     * load costs nothing: the store falls back to EVAL.
     */
    private static CompletableFuture<Void> preload(StatefulRedisConnection<String, String> connection) {
        return CompletableFuture.allOf(
                connection.async().scriptLoad(RedisScripts.ACQUIRE.text()).toCompletableFuture(),
                connection.async().scriptLoad(RedisScripts.ADJUST.text()).toCompletableFuture());
    }

    private static RedisURI uri(RedisProperties properties, Duration commandTimeout) {
        RedisURI uri;
        if (properties.getUrl() != null) {
            uri = RedisURI.create(properties.getUrl());
        } else {
            RedisURI.Builder builder = RedisURI.builder().withHost(properties.getHost())
                    .withPort(properties.getPort()).withDatabase(properties.getDatabase())
                    .withSsl(properties.getSsl().isEnabled());
            if (properties.getPassword() != null && properties.getUsername() != null) {
                builder.withAuthentication(properties.getUsername(), properties.getPassword());
            } else if (properties.getPassword() != null) {
                builder.withPassword(properties.getPassword().toCharArray());
            }
            uri = builder.build();
        }
        if (properties.getClientName() != null) {
            uri.setClientName(properties.getClientName());
        }
        uri.setTimeout(commandTimeout);
        return uri;
    }

    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> last = current.get();
        if (last != null && last.isDone() && !last.isCompletedExceptionally()) {
            last.join().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
