package io.github.geminigateway.server;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The same patience bounds for the management port, which runs in a child context of its own: the API server's
 * customizer does not reach it, and a probe port that keeps idle or half-sent connections for ever can be exhausted
 * from inside the cluster. No per-peer cap here: probes and scrapes come from few addresses. Listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports} for the child context; component scanning also
 * applies it to the API server, where it repeats the bounds {@link ServerConfiguration} sets.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementServerTimeouts {

    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementCallerTimeouts(ServerProperties properties) {
        NettyServerCustomizer timeouts = server -> server.idleTimeout(properties.idleTimeout())
                .readTimeout(properties.readTimeout())
                .requestTimeout(properties.requestTimeout());
        return factory -> factory.addServerCustomizers(timeouts);
    }
}
