package io.github.geminigateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With gateway.public-base-url set, upload URLs name that address, whatever the request's own headers say. */
class UploadPublicBaseUrlTest {

    private static final String PUBLIC = "https://gemini.example.com";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.public-base-url=" + PUBLIC + "/");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void theUploadUrlUsesTheConfiguredPublicBaseUrlAndItsPathStillWorksOnTheGateway() throws InterruptedException {
        RawHttp.Answer started = UploadRelayTest.startUpload(upstream, gateway, Map.of(
                "X-Forwarded-Host", "ignored.example.org", "X-Forwarded-Proto", "http"));

        String uploadUrl = started.headers().getFirst("X-Goog-Upload-URL");
        assertThat(uploadUrl).startsWith(PUBLIC + UploadRelayTest.googleTarget() + "&gateway_upload_token=team-a.");
        upstream.awaitRequest(Duration.ofSeconds(10));

        // JS and Java SDKs keep the path and query and put their own base URL in front.
        URI uri = URI.create(uploadUrl);
        RawHttp.Answer chunk = RawHttp.send(gateway.baseUrl(), "POST", uri.getRawPath() + "?" + uri.getRawQuery(),
                Map.of("X-Goog-Upload-Command", "upload, finalize", "X-Goog-Upload-Offset", "0"), new byte[] {1, 2});

        assertThat(chunk.status()).isEqualTo(200);
        RecordedRequest received = upstream.awaitRequest(Duration.ofSeconds(10));
        assertThat(received.uri()).isEqualTo(UploadRelayTest.googleTarget());
        assertThat(received.body()).containsExactly(1, 2);
    }
}
