package io.github.geminigateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.proxy.RawHttp;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.RunningGateway;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With gateway.public-base-url set, upload URLs name that address, whatever the request's own headers say. */
class UploadPublicBaseUrlTest {

    private static final String PUBLIC = "https://gemini.example.com";

    private static FakeGemini upstream;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeGemini.start();
        gateway = RunningGateway.start(upstream.baseUrl(), "--gateway.public-base-url=" + PUBLIC + "/");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

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
