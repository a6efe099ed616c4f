package io.github.geminigateway.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires caller authentication. */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration {

    @Bean
    ClientKeyAuthenticator clientKeyAuthenticator(ClientProperties properties) {
        return new ClientKeyAuthenticator(properties);
    }
}
