package io.github.geminigateway.limits;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** Wires the request limits. (Placeholder: admits everything until the limits feature lands.) */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    @Bean
    RequestLimiter requestLimiter() {
        return (clientId, model, stream, requestBytes) -> Mono.just(Admission.UNLIMITED);
    }
}
