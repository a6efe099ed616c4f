package io.github.geminigateway.limits.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis store. Redis runs a script alone, so reading every counter, deciding and writing back
 * is one atomic step for the whole fleet, in one round trip. The arithmetic is {@link TokenBucket}'s, and the memory
 * store makes the same decisions in the same order; one test suite runs against both to keep them equal. Time is
 * the gateway's, passed in, and expiries are relative to it, so a Redis server whose clock differs changes nothing.
 */
final class RedisScripts {

    /**
     * KEYS: the counters. ARGV[1]: now (ms); then six values per key: kind (b bucket, w window, s slot), capacity,
     * window, cost, expiresAt, lease. Returns {taken, level...}, levels as strings to keep their fractions.
     */
    static final Script ACQUIRE = new Script("""
            local now = tonumber(ARGV[1])
            local levels = {}
            local taken = 1
            for i, key in ipairs(KEYS) do
              local o = 1 + (i - 1) * 6
              local kind, capacity, window, cost = ARGV[o + 1], tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4])
              local level
              if kind == 's' then
                redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
                level = capacity - redis.call('ZCARD', key)
              else
                local state = redis.call('HMGET', key, 'level', 'at')
                level = tonumber(state[1]) or capacity
                if kind == 'b' and state[1] then
                  level = math.min(capacity, level + math.max(0, now - tonumber(state[2])) * capacity / window)
                end
              end
              levels[i] = level
              if level < cost then taken = 0 end
            end
            if taken == 1 then
              for i, key in ipairs(KEYS) do
                local o = 1 + (i - 1) * 6
                local kind, capacity, window, cost = ARGV[o + 1], tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4])
                local expiresAt = tonumber(ARGV[o + 5])
                levels[i] = levels[i] - cost
                if kind == 's' then
                  redis.call('ZADD', key, expiresAt, ARGV[o + 6])
                  redis.call('PEXPIRE', key, math.max(1, expiresAt - now))
                elseif kind == 'w' then
                  redis.call('HSET', key, 'level', tostring(levels[i]), 'at', now)
                  redis.call('PEXPIRE', key, math.max(1, expiresAt - now))
                else
                  redis.call('HSET', key, 'level', tostring(levels[i]), 'at', now)
                  redis.call('PEXPIRE', key, math.max(1, math.ceil((capacity - levels[i]) * window / capacity)))
                end
              end
            end
            local reply = {taken}
            for i = 1, #levels do reply[i + 1] = tostring(levels[i]) end
            return reply
            """);

    /**
     * KEYS: bucket counters. ARGV[1]: now (ms); then three values per key: capacity, window, cost. Takes each cost
     * whatever the level, or gives back a negative one up to capacity.
     */
    static final Script ADJUST = new Script("""
            local now = tonumber(ARGV[1])
            for i, key in ipairs(KEYS) do
              local o = 1 + (i - 1) * 3
              local capacity, window, cost = tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3])
              local state = redis.call('HMGET', key, 'level', 'at')
              local level = capacity
              if state[1] then
                level = math.min(capacity, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * capacity / window)
              end
              level = math.min(capacity, level - cost)
              redis.call('HSET', key, 'level', tostring(level), 'at', now)
              redis.call('PEXPIRE', key, math.max(1, math.ceil((capacity - level) * window / capacity)))
            end
            return 1
            """);

    private RedisScripts() {
    }

    /** A script and the SHA-1 that EVALSHA names it by. */
    record Script(String text, String sha) {

        Script(String text) {
            this(text, sha1(text));
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JRE", e);
            }
        }
    }
}
