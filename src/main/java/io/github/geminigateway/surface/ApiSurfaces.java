package io.github.geminigateway.surface;

import java.util.List;

/** The surfaces the gateway serves, asked in order; the generateContent family, last, takes every other path. */
public final class ApiSurfaces {

    private final List<ApiSurface> surfaces;

    public ApiSurfaces(List<ApiSurface> surfaces) {
        this.surfaces = List.copyOf(surfaces);
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
