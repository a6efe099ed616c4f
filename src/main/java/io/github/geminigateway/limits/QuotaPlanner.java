package io.github.geminigateway.limits;

import io.github.geminigateway.limits.LimitsProperties.ClientLimits;
import io.github.geminigateway.limits.LimitsProperties.ModelLimits;
import io.github.geminigateway.limits.store.Charge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Works out which limits a request meets and what each one costs it. Tokens are not known before the answer, so
 * the token limits are charged an estimate: the request body's bytes over {@code bytes-per-token} for the prompt,
 * plus {@code output-token-estimate} for the client's limit, which also counts output and thinking. An estimate is
 * capped at the limit itself, so one large request can still pass a full bucket rather than never.
 */
final class QuotaPlanner {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private final LimitsProperties properties;
    private final String prefix;
    private final Duration leaseTime;

    /**
     * @param leaseTime how long a stream slot is held at most: past the longest a stream may run, so a live stream
     *                  never loses its slot, while a replica that died holding slots gives them back in time
     */
    QuotaPlanner(LimitsProperties properties, Duration leaseTime) {
        this.properties = properties;
        this.prefix = "{" + properties.limits().redisKeyPrefix() + "}:";
        this.leaseTime = leaseTime;
    }

    List<Quota> plan(String clientId, String model, boolean stream, long requestBytes, Instant now) {
        List<Quota> quotas = rates(clientId, model, requestBytes, now);
        Integer streams = properties.client(clientId).maxConcurrentStreams();
        if (streams != null && stream) {
            quotas.add(slot(Limit.CLIENT_CONCURRENT_STREAMS, clientId, ":streams", streams, leaseTime, now));
        }
        return quotas;
    }

    /**
     * A Live API session: counted like a request to its model, with its setup message as the prompt estimate, and
     * holding a session slot for at most {@code lease} (the longest a session may run, plus a margin).
     */
    List<Quota> planSession(String clientId, String model, long setupBytes, Duration lease, Instant now) {
        List<Quota> quotas = rates(clientId, model, setupBytes, now);
        Integer sessions = properties.client(clientId).maxConcurrentSessions();
        if (sessions != null) {
            quotas.add(slot(Limit.CLIENT_CONCURRENT_SESSIONS, clientId, ":sessions", sessions, lease, now));
        }
        return quotas;
    }

    private Quota slot(Limit limit, String clientId, String suffix, int capacity, Duration lease, Instant now) {
        return new Quota(limit, clientId, Charge.slot(prefix + "client:" + clientId + suffix, capacity,
                UUID.randomUUID().toString(), now.plus(lease).toEpochMilli()));
    }

    /** The per-minute and per-day limits a request meets, slots aside. */
    private List<Quota> rates(String clientId, String model, long requestBytes, Instant now) {
        List<Quota> quotas = new ArrayList<>(6);
        ClientLimits client = properties.client(clientId);
        String clientKey = prefix + "client:" + clientId;
        long prompt = model == null ? 0 : ceilDiv(requestBytes, properties.limits().bytesPerToken());
        long tokens = model == null ? 0 : prompt + properties.limits().outputTokenEstimate();
        if (client.requestsPerMinute() != null) {
            quotas.add(perMinute(Limit.CLIENT_REQUESTS_PER_MINUTE, clientId, clientKey + ":rpm",
                    client.requestsPerMinute(), 1));
        }
        if (client.tokensPerMinute() != null && model != null) {
            quotas.add(perMinute(Limit.CLIENT_TOKENS_PER_MINUTE, clientId, clientKey + ":tpm",
                    client.tokensPerMinute(), tokens));
        }
        if (model != null) {
            addModel(quotas, model, prompt, now);
        }
        return quotas;
    }

    private void addModel(List<Quota> quotas, String model, long prompt, Instant now) {
        ModelLimits limits = properties.model(model);
        String modelKey = prefix + "model:" + model;
        if (limits.requestsPerMinute() != null) {
            quotas.add(perMinute(Limit.MODEL_REQUESTS_PER_MINUTE, model, modelKey + ":rpm",
                    limits.requestsPerMinute(), 1));
        }
        if (limits.inputTokensPerMinute() != null) {
            quotas.add(perMinute(Limit.MODEL_INPUT_TOKENS_PER_MINUTE, model, modelKey + ":itpm",
                    limits.inputTokensPerMinute(), prompt));
        }
        if (limits.requestsPerDay() != null) {
            quotas.add(new Quota(Limit.MODEL_REQUESTS_PER_DAY, model, Charge.window(
                    modelKey + ":rpd:" + PacificDay.of(now), limits.requestsPerDay(), 1,
                    PacificDay.end(now).toEpochMilli())));
        }
    }

    private static Quota perMinute(Limit limit, String owner, String key, long capacity, long cost) {
        return new Quota(limit, owner, Charge.bucket(key, capacity, MINUTE, Math.min(cost, capacity)));
    }

    private static long ceilDiv(long bytes, int perToken) {
        return (bytes + perToken - 1) / perToken;
    }
}
