package io.github.geminigateway.resilience;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-model resilience settings ({@code gateway.models.<model>.fallbacks}): the ordered models to try when the
 * primary is exhausted before the first byte (a 429 after retries, a 503, an open breaker).
 */
@ConfigurationProperties("gateway")
public record ModelProperties(Map<String, ModelFallbacks> models) {

    public ModelProperties {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    public List<String> fallbacksOf(String model) {
        ModelFallbacks settings = model == null ? null : models.get(model);
        return settings == null ? List.of() : settings.fallbacks();
    }

    /** One model's fallbacks. */
    public record ModelFallbacks(List<String> fallbacks) {

        public ModelFallbacks {
            fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        }
    }
}
