package io.github.geminigateway.support;

import io.github.geminigateway.GatewayApplication;
import io.github.geminigateway.config.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A whole gateway application on free ports, pointed at a test upstream, with one client "team-a" whose gateway key
 * is {@link #CLIENT_KEY}. Extra {@code --name=value} arguments override or add settings. With the system property
 * {@code gateway.test.upstream-http2=true} (a second surefire run of the relay tests) it talks HTTP/2 upstream.
 * A test class that needs one gateway for all its tests uses {@link GatewayExtension}, which is one of these.
 */
public class RunningGateway implements AutoCloseable {

    public static final String CLIENT_KEY = "gw-team-a-key";
    public static final String UPSTREAM_KEY = "upstream-secret-key-0123456789";

    private ConfigurableApplicationContext context;

    /** For {@link GatewayExtension}, which starts the application later, before the first test. */
    RunningGateway() {
    }

    private RunningGateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static RunningGateway start(String upstreamBaseUrl, String... extraArgs) {
        return new RunningGateway(run(upstreamBaseUrl, extraArgs));
    }

    void started(ConfigurableApplicationContext application) {
        this.context = application;
    }

    static ConfigurableApplicationContext run(String upstreamBaseUrl, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--gateway.upstream.base-url=" + upstreamBaseUrl,
                "--gateway.upstream.api-keys=" + UPSTREAM_KEY,
                "--gateway.clients.team-a.key-sha256=" + Sha256.hex(CLIENT_KEY)));
        if (Boolean.getBoolean("gateway.test.upstream-http2")
                && Stream.of(extraArgs).noneMatch(arg -> arg.startsWith("--gateway.upstream.http2="))) {
            args.add("--gateway.upstream.http2=true");
        }
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(GatewayApplication.class).run(args.toArray(String[]::new));
    }

    /** The argument that adds a client whose gateway key is {@code <id>-key}. */
    public static String clientArg(String id) {
        return "--gateway.clients." + id + ".key-sha256=" + Sha256.hex(id + "-key");
    }

    public int port() {
        return ((WebServerApplicationContext) context()).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int managementPort() {
        return Integer.parseInt(context().getEnvironment().getProperty("local.management.port"));
    }

    public ConfigurableApplicationContext context() {
        if (context == null) {
            throw new IllegalStateException("The gateway is not running: a GatewayExtension starts it before the "
                    + "first test of its class, not when the class is loaded.");
        }
        return context;
    }

    /** A WebClient for the API port that sends team-a's key. */
    public WebClient client() {
        return WebClient.builder().baseUrl(baseUrl()).defaultHeader("x-goog-api-key", CLIENT_KEY)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build();
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }
}
