package io.github.geminigateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.RunningGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** Even an operator who asks actuator to show configuration values never gets the upstream key or signing secret. */
class SecretSanitizingTest {

    @Test
    void envAndConfigpropsMaskSecretsEvenWithShowValuesAlways() {
        String secret = "upload-signing-secret-0123456789";
        String viaJson = "json-carried-upstream-key-0123456789";
        try (FakeGemini upstream = FakeGemini.start();
             RunningGateway gateway = RunningGateway.start(upstream.baseUrl(),
                     "--management.endpoints.web.exposure.include=*",
                     "--management.endpoint.env.show-values=ALWAYS",
                     "--management.endpoint.configprops.show-values=ALWAYS",
                     "--gateway.uploads.signing-secret=" + secret,
                     "--spring.application.json={\"gateway\":{\"upstream\":{\"api-keys\":\"" + viaJson + "\"}}}")) {
            WebClient management = WebClient.create("http://127.0.0.1:" + gateway.managementPort());
            for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops"}) {
                String body = management.get().uri(endpoint).retrieve().bodyToMono(String.class)
                        .block(Duration.ofSeconds(10));
                assertThat(body).as(endpoint).contains("gateway.upstream")
                        .doesNotContain(RunningGateway.UPSTREAM_KEY).doesNotContain(secret).doesNotContain(viaJson);
            }
        }
    }
}
