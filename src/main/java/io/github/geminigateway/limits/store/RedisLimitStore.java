package io.github.geminigateway.limits.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Counters in Redis, shared by every replica. Each operation is one Lua script (see {@link RedisScripts}), so it is
 * atomic and costs one round trip. Scripts go by EVALSHA and are sent whole only when Redis does not know them yet,
 * for example after a restart. Failures surface as errors; {@link GuardedLimitStore} bounds and counts them.
 */
public final class RedisLimitStore implements LimitStore {

    private final RedisConnector connector;

    public RedisLimitStore(RedisConnector connector) {
        this.connector = connector;
    }

    @Override
    public Mono<Acquisition> acquire(List<Charge> charges, long nowMillis) {
        String[] keys = new String[charges.size()];
        List<String> args = new ArrayList<>(1 + charges.size() * 6);
        args.add(Long.toString(nowMillis));
        for (int i = 0; i < keys.length; i++) {
            Charge charge = charges.get(i);
            keys[i] = charge.key();
            args.add(switch (charge.kind()) {
                case BUCKET -> "b";
                case WINDOW -> "w";
                case SLOT -> "s";
            });
            args.add(Long.toString(charge.capacity()));
            args.add(Long.toString(charge.window()));
            args.add(Long.toString(charge.cost()));
            args.add(Long.toString(charge.expiresAt()));
            args.add(charge.lease() == null ? "" : charge.lease());
        }
        return this.<List<Object>>run(RedisScripts.ACQUIRE, ScriptOutputType.MULTI, keys, args)
                .map(RedisLimitStore::acquisition);
    }

    @Override
    public Mono<Void> adjust(List<Charge> corrections, long nowMillis) {
        if (corrections.isEmpty()) {
            return Mono.empty();
        }
        String[] keys = new String[corrections.size()];
        List<String> args = new ArrayList<>(1 + corrections.size() * 3);
        args.add(Long.toString(nowMillis));
        for (int i = 0; i < keys.length; i++) {
            Charge charge = corrections.get(i);
            keys[i] = charge.key();
            args.add(Long.toString(charge.capacity()));
            args.add(Long.toString(charge.window()));
            args.add(Long.toString(charge.cost()));
        }
        return run(RedisScripts.ADJUST, ScriptOutputType.INTEGER, keys, args).then();
    }

    @Override
    public Mono<Void> release(String key, String lease) {
        return connector.connection()
                .flatMap(connection -> Mono.fromCompletionStage(connection.async().zrem(key, lease)))
                .then();
    }

    private <T> Mono<T> run(RedisScripts.Script script, ScriptOutputType type, String[] keys, List<String> args) {
        String[] values = args.toArray(String[]::new);
        return connector.connection().map(connection -> connection.async()).flatMap(commands ->
                Mono.fromCompletionStage(commands.<T>evalsha(script.sha(), type, keys, values))
                        .onErrorResume(RedisNoScriptException.class, missing -> load(commands, script, type, keys,
                                values)));
    }

    private static <T> Mono<T> load(RedisAsyncCommands<String, String> commands, RedisScripts.Script script,
                                    ScriptOutputType type, String[] keys, String[] values) {
        return Mono.fromCompletionStage(commands.<T>eval(script.text(), type, keys, values));
    }

    private static Acquisition acquisition(List<Object> reply) {
        double[] levels = new double[reply.size() - 1];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = Double.parseDouble(reply.get(i + 1).toString());
        }
        return new Acquisition(((Number) reply.get(0)).longValue() == 1, levels);
    }
}
