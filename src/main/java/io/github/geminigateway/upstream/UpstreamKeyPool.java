package io.github.geminigateway.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream keys, handed out in turn so that load spreads evenly over them.
 */
public final class UpstreamKeyPool {

    private final List<ApiKey> keys;
    private final AtomicInteger next = new AtomicInteger();

    public UpstreamKeyPool(List<ApiKey> keys) {
        if (keys.isEmpty()) {
            throw new MissingUpstreamKeyException();
        }
        this.keys = List.copyOf(keys);
    }

    public ApiKey next() {
        return keys.get(Math.floorMod(next.getAndIncrement(), keys.size()));
    }

    public List<ApiKey> all() {
        return keys;
    }
}
