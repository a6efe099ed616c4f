package io.github.geminigateway.upstream;

import java.net.URI;

/** The base URL requests go to: Google's by default, the built-in simulator's in the demo profile. */
public record UpstreamEndpoint(URI baseUrl) {
}
