package io.github.geminigateway.proxy;

import io.github.geminigateway.auth.ClientKeyAuthenticator;
import io.github.geminigateway.limits.RequestLimiter;
import io.github.geminigateway.observability.GatewayMetrics;
import io.github.geminigateway.observability.TracePropagation;
import io.github.geminigateway.surface.ApiSurfaces;
import io.github.geminigateway.upstream.TimeoutProperties;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.geminigateway.resilience.ResilientUpstream;
import io.github.geminigateway.upload.PublicBaseUrl;
import io.github.geminigateway.upload.UploadUrlRewriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the proxy. The handler is a web filter that answers every path of the API port (not the management port)
 * and refuses what is not Gemini.
 */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

    @Bean
    HeaderPolicy headerPolicy() {
        return new HeaderPolicy();
    }

    @Bean
    ResponseRelay responseRelay(HeaderPolicy headerPolicy, UpstreamErrorReader errorReader,
                                UploadUrlRewriter uploads, PublicBaseUrl publicBaseUrl, GatewayMetrics metrics) {
        return new ResponseRelay(headerPolicy, errorReader, uploads, publicBaseUrl, metrics);
    }

    /** The API surfaces, most specific first; the generateContent family takes every path the others do not. */
    @Bean
    ApiSurfaces apiSurfaces(TimeoutProperties timeouts) {
        return ApiSurfaces.all(timeouts);
    }

    /** The cap on request-body bytes held at once, and its gauge (bytes held now). */
    @Bean
    BodyBudget bodyBudget(ProxyProperties properties, MeterRegistry registry) {
        BodyBudget budget = new BodyBudget(properties.bufferedBodyLimit(), properties.bufferedBodyLimitPerClient());
        Gauge.builder("gemini_gateway.request.bodies.buffered", budget, BodyBudget::held).baseUnit("bytes")
                .description("request-body bytes the gateway holds now, against gateway.max-buffered-bodies")
                .register(registry);
        return budget;
    }

    @Bean
    GeminiProxyHandler geminiProxyHandler(ApiSurfaces surfaces, HeaderPolicy headerPolicy,
                                          ClientKeyAuthenticator authenticator, ProxyProperties properties,
                                          BodyBudget budget, UploadUrlRewriter uploads, ResilientUpstream upstream,
                                          ResponseRelay relay, RequestLimiter limiter, TracePropagation tracing) {
        return new GeminiProxyHandler(surfaces, headerPolicy, authenticator,
                new RequestBodyReader(properties.maxRequestSize()), budget, uploads, upstream, relay, limiter,
                tracing);
    }
}
