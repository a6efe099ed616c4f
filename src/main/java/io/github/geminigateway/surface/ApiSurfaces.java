package io.github.geminigateway.surface;

import io.github.geminigateway.upstream.TimeoutProperties;
import java.util.List;

/** The surfaces the gateway serves, asked in order; the generateContent family, last, takes every other path. */
public final class ApiSurfaces {

    private final List<ApiSurface> surfaces;

    public ApiSurfaces(List<ApiSurface> surfaces) {
        this.surfaces = List.copyOf(surfaces);
    }

    /** Every surface the gateway serves: the OpenAI-compatible route, Interactions, and the generateContent family. */
    public static ApiSurfaces all(TimeoutProperties timeouts) {
        return new ApiSurfaces(List.of(new OpenAiSurface(timeouts), new InteractionsSurface(timeouts),
                new GenerateContentSurface(timeouts)));
    }

    public ApiSurface of(GeminiPath path) {
        for (ApiSurface surface : surfaces) {
            if (surface.serves(path)) {
                return surface;
            }
        }
        throw new IllegalStateException("no surface serves " + path.resource() + ": the last one must take all");
    }
}
