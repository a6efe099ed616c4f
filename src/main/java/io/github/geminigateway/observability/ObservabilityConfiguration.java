package io.github.geminigateway.observability;

import io.github.geminigateway.error.ErrorResponseWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires correlation, error rendering and request reporting. */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

    static {
        LogContext.register();
    }

    @Bean
    RequestObserver requestObserver() {
        return new RequestObserver();
    }

    @Bean
    CorrelationFilter correlationFilter(RequestObserver observer) {
        return new CorrelationFilter(new ErrorResponseWriter(), observer);
    }
}
