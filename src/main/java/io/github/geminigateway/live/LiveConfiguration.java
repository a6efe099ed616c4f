package io.github.geminigateway.live;

import io.github.geminigateway.auth.ClientKeyAuthenticator;
import io.github.geminigateway.limits.RequestLimiter;
import io.github.geminigateway.observability.ModelTags;
import io.github.geminigateway.observability.RequestObserver;
import io.github.geminigateway.upstream.UpstreamClient;
import io.github.geminigateway.upstream.UpstreamKeyPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Live API relay: its endpoint, the open sessions of this replica and their shutdown, its meters. */
@Configuration(proxyBeanMethods = false)
public class LiveConfiguration {

    @Bean
    LiveSessions liveSessions(LifecycleProperties lifecycle) {
        return new LiveSessions(lifecycle.getTimeoutPerShutdownPhase());
    }

    @Bean
    SmartLifecycle liveSessionsDrain(LiveSessions sessions) {
        return sessions.drainOnShutdown();
    }

    @Bean
    SmartLifecycle liveSessionsClose(LiveSessions sessions) {
        return sessions.closeAfterDrain();
    }

    @Bean
    LiveEndpoint liveEndpoint(ClientKeyAuthenticator authenticator, LiveProperties properties, LiveSessions sessions,
                              RequestLimiter limiter, UpstreamKeyPool keys, UpstreamClient upstream,
                              RequestObserver observer, MeterRegistry registry, ModelTags models) {
        return new LiveEndpoint(authenticator, new LiveEndpoint.Services(properties,
                new LiveMetrics(registry, models), sessions, limiter, keys, upstream, observer));
    }
}
