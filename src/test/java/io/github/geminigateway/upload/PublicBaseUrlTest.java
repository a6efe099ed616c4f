package io.github.geminigateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * Issue 18, item 8: the upload URL (which carries an upload token) is built only from a plain host and http or
 * https, whatever the caller puts in Host or X-Forwarded-*.
 */
class PublicBaseUrlTest {

    private final PublicBaseUrl fromHeaders = new PublicBaseUrl(null);

    @Test
    void anIngressesForwardedHostAndProtoAreUsed() {
        assertThat(fromHeaders.of(request("X-Forwarded-Host", "gemini.internal, proxy.local", "X-Forwarded-Proto",
                "HTTPS"))).isEqualTo("https://gemini.internal");
        assertThat(fromHeaders.of(request("X-Forwarded-Host", "[::1]:8443"))).isEqualTo("http://[::1]:8443");
    }

    @Test
    void hostileHeadersFallBackToTheNextPlainSource() {
        for (String hostile : new String[] {"javascript:alert(1)", "evil.example/path", "a b", "user@host",
                "host:port", "x\u00e9.example"}) {
            assertThat(fromHeaders.of(request("X-Forwarded-Host", hostile, "X-Forwarded-Proto", "javascript")))
                    .as(hostile).isEqualTo("http://gw.internal:8080");
        }
    }

    @Test
    void theConfiguredBaseUrlWinsOverEveryHeader() {
        assertThat(new PublicBaseUrl(URI.create("https://gemini.example.com/")).of(request("X-Forwarded-Host",
                "other.example"))).isEqualTo("https://gemini.example.com");
    }

    private static MockServerHttpRequest request(String... headers) {
        MockServerHttpRequest.BaseBuilder<?> builder =
                MockServerHttpRequest.post("http://gw.internal:8080/upload/v1beta/files");
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }
}
