package io.github.geminigateway.server;

import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Bounds the server's patience with its callers: idle, read and request timeouts, and the connections per peer. */
@Configuration(proxyBeanMethods = false)
public class ServerConfiguration {

    @Bean
    NettyServerCustomizer callerTimeouts(ServerProperties properties) {
        PeerConnections peers = properties.maxConnectionsPerPeer() > 0
                ? new PeerConnections(properties.maxConnectionsPerPeer()) : null;
        return server -> {
            var bounded = server.idleTimeout(properties.idleTimeout())
                    .readTimeout(properties.readTimeout())
                    .requestTimeout(properties.requestTimeout());
            // On the channel, not the connection: Reactor Netty's doOnConnection runs once per request.
            return peers == null ? bounded
                    : bounded.doOnChannelInit((observer, channel, address) -> peers.opened(channel));
        };
    }
}
