package io.github.geminigateway.limits;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The limit settings: per-client limits beside each client ({@code gateway.clients.<id>.*}), per-model upstream
 * budgets ({@code gateway.models.<model>.*}) and how they are counted ({@code gateway.limits.*}). Other records bind
 * other fields of the same client and model maps; each ignores the fields it does not know. An absent limit is no
 * limit.
 */
@Validated
@ConfigurationProperties("gateway")
public record LimitsProperties(Map<String, @Valid ClientLimits> clients, Map<String, @Valid ModelLimits> models,
                               @Valid @DefaultValue Counting limits) {

    public LimitsProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    public ClientLimits client(String id) {
        return clients.getOrDefault(id, ClientLimits.NONE);
    }

    public ModelLimits model(String id) {
        return id == null ? ModelLimits.NONE : models.getOrDefault(id, ModelLimits.NONE);
    }

    /**
     * One client's share: requests and tokens (prompt, output and thinking) per minute, open streams, and open Live
     * API sessions.
     */
    public record ClientLimits(@Positive Long requestsPerMinute, @Positive Long tokensPerMinute,
                               @Positive Integer maxConcurrentStreams, @Positive Integer maxConcurrentSessions) {

        static final ClientLimits NONE = new ClientLimits(null, null, null, null);
    }

    /** One model's budget for the whole fleet, sized to stay under the project's Google quota. */
    public record ModelLimits(@Positive Long requestsPerMinute, @Positive Long inputTokensPerMinute,
                              @Positive Long requestsPerDay) {

        static final ModelLimits NONE = new ModelLimits(null, null, null);
    }

    /**
     * How limits are counted.
     *
     * @param store               memory (each replica counts alone) or redis (the fleet shares one count)
     * @param redisFailureMode    what a request gets while Redis cannot answer: open admits it uncounted, closed
     *                            refuses it with a 429
     * @param redisTimeout        the longest the gateway waits for one Redis call before applying the failure mode
     * @param redisKeyPrefix      the hash tag every Redis key starts with, so one script may touch them all
     * @param outputTokenEstimate output and thinking tokens reserved per generate call until the real count is known
     * @param bytesPerToken       request bytes per prompt token, for the prompt estimate
     */
    public record Counting(@NotNull @DefaultValue("memory") Store store,
                           @NotNull @DefaultValue("open") FailureMode redisFailureMode,
                           @NotNull @DefaultValue("100ms") Duration redisTimeout,
                           @NotNull @DefaultValue("gemini-gateway") String redisKeyPrefix,
                           @PositiveOrZero @DefaultValue("512") long outputTokenEstimate,
                           @Positive @DefaultValue("4") int bytesPerToken) {
    }

    /** Where the counters live. */
    public enum Store { MEMORY, REDIS }

    /** What happens to a request while the shared store is unreachable. */
    public enum FailureMode { OPEN, CLOSED }
}
