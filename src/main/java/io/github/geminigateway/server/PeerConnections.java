package io.github.geminigateway.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the API port's open connections (channels, not requests) per remote address and closes one past the cap
 * as it opens. A peer's count goes when its last connection closes, so the map holds only peers with open
 * connections.
 */
final class PeerConnections {

    private final int cap;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    PeerConnections(int cap) {
        this.cap = cap;
    }

    void opened(Channel channel) {
        if (!(channel.remoteAddress() instanceof InetSocketAddress inet)) {
            return;
        }
        InetAddress peer = inet.getAddress();
        int count = open.merge(peer, 1, Integer::sum);
        channel.closeFuture().addListener(closed -> open.computeIfPresent(peer, (p, n) -> n <= 1 ? null : n - 1));
        if (count > cap) {
            channel.close();
        }
    }
}
