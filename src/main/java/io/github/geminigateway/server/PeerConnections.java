package io.github.geminigateway.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.netty.Connection;

/**
 * Counts the API port's open connections per remote address and closes one past the cap as it opens. The count of
 * a peer goes when its last connection does, so the map holds only peers with open connections.
 */
final class PeerConnections {

    private final int cap;
    private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    PeerConnections(int cap) {
        this.cap = cap;
    }

    void opened(Connection connection) {
        InetAddress peer = peerOf(connection.channel().remoteAddress());
        if (peer == null) {
            return;
        }
        int count = open.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
        connection.onDispose(() -> closed(peer));
        if (count > cap) {
            connection.dispose();
        }
    }

    private void closed(InetAddress peer) {
        open.computeIfPresent(peer, (p, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private static InetAddress peerOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
