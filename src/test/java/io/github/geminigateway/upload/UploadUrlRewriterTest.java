package io.github.geminigateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.upload.UploadUrlRewriter.AuthorizedChunk;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class UploadUrlRewriterTest {

    private static final String GOOGLE = "https://generativelanguage.googleapis.com";
    private static final String GOOGLE_UPLOAD_URL =
            GOOGLE + "/upload/v1beta/files?upload_id=AB-cd_12&upload_protocol=resumable";
    private static final String GATEWAY = "https://gemini-gateway.internal.example";

    private static UploadUrlRewriter rewriter(String upstreamBaseUrl, Instant now) {
        return new UploadUrlRewriter(new UploadSessionSigner("secret".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC)), URI.create(upstreamBaseUrl));
    }

    private final UploadUrlRewriter rewriter = rewriter(GOOGLE, Instant.parse("2026-11-24T12:00:00Z"));

    @Test
    void pointsTheUploadUrlAtTheGatewayWithTheSamePathAndQueryPlusAToken() {
        String rewritten = rewriter.rewrite(GOOGLE_UPLOAD_URL, "team-a", GATEWAY);

        assertThat(rewritten).startsWith(GATEWAY
                + "/upload/v1beta/files?upload_id=AB-cd_12&upload_protocol=resumable&gateway_upload_token=team-a.");
        assertThat(rewritten).doesNotContain("googleapis.com");
    }

    @Test
    void aRewrittenUrlRoundTripsToGooglesTargetAndTheClient() {
        URI rewritten = URI.create(rewriter.rewrite(GOOGLE_UPLOAD_URL, "team-a", GATEWAY));

        assertThat(rewriter.isChunk(rewritten.getRawQuery())).isTrue();
        AuthorizedChunk chunk = rewriter.authorize(rewritten.getRawPath(), rewritten.getRawQuery());

        assertThat(chunk.clientId()).isEqualTo("team-a");
        assertThat(chunk.upstreamTarget())
                .isEqualTo("/upload/v1beta/files?upload_id=AB-cd_12&upload_protocol=resumable");
    }

    @Test
    void theTokenMayComeAnywhereInTheQuery() {
        URI rewritten = URI.create(rewriter.rewrite(GOOGLE_UPLOAD_URL, "team-a", GATEWAY));
        String token = rewritten.getRawQuery().replaceAll(".*(gateway_upload_token=[^&]*).*", "$1");
        String reordered = token + "&upload_id=AB-cd_12&upload_protocol=resumable";

        assertThat(rewriter.authorize(rewritten.getRawPath(), reordered).upstreamTarget())
                .isEqualTo("/upload/v1beta/files?upload_id=AB-cd_12&upload_protocol=resumable");
    }

    @Test
    void anUploadStartIsNotAChunk() {
        assertThat(rewriter.isChunk(null)).isFalse();
        assertThat(rewriter.isChunk("upload_id=AB-cd_12&upload_protocol=resumable")).isFalse();
        assertThat(rewriter.isChunk("alt=json")).isFalse();
    }

    @Test
    void aTokenForAnotherUploadIdIsRefused() {
        URI rewritten = URI.create(rewriter.rewrite(GOOGLE_UPLOAD_URL, "team-a", GATEWAY));
        String otherUpload = rewritten.getRawQuery().replace("upload_id=AB-cd_12", "upload_id=XY-zz_99");

        assertUnauthenticated(() -> rewriter.authorize(rewritten.getRawPath(), otherUpload));
        assertUnauthenticated(() -> rewriter.authorize("/upload/v1beta/files/other", rewritten.getRawQuery()));
    }

    @Test
    void aTamperedTokenIsRefused() {
        URI rewritten = URI.create(rewriter.rewrite(GOOGLE_UPLOAD_URL, "team-a", GATEWAY));
        String tampered = rewritten.getRawQuery().replace("gateway_upload_token=team-a.",
                "gateway_upload_token=team-b.");

        assertUnauthenticated(() -> rewriter.authorize(rewritten.getRawPath(), tampered));
        assertUnauthenticated(() -> rewriter.authorize(rewritten.getRawPath(), rewritten.getRawQuery() + "x"));
    }

    @Test
    void anExpiredUploadUrlIsRefused() {
        URI rewritten = URI.create(rewriter.rewrite(GOOGLE_UPLOAD_URL, "team-a", GATEWAY));
        UploadUrlRewriter dayLater = rewriter(GOOGLE, Instant.parse("2026-11-25T12:00:01Z"));

        assertThatThrownBy(() -> dayLater.authorize(rewritten.getRawPath(), rewritten.getRawQuery()))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.getMessage()).contains("expired"));
    }

    @Test
    void anUpstreamPathPrefixIsTakenOffTheRewrittenPath() {
        UploadUrlRewriter behindPrefix = rewriter("http://egress.internal:8443/gemini/",
                Instant.parse("2026-11-24T12:00:00Z"));

        String rewritten = behindPrefix.rewrite(
                "http://egress.internal:8443/gemini/upload/v1beta/files?upload_id=X1", "team-a", GATEWAY);

        assertThat(rewritten).startsWith(GATEWAY + "/upload/v1beta/files?upload_id=X1&gateway_upload_token=");
        URI uri = URI.create(rewritten);
        assertThat(behindPrefix.authorize(uri.getRawPath(), uri.getRawQuery()).upstreamTarget())
                .isEqualTo("/upload/v1beta/files?upload_id=X1");
    }

    @Test
    void anUploadUrlWithoutQueryGetsTheTokenAsItsOnlyParameter() {
        String rewritten = rewriter.rewrite(GOOGLE + "/upload/v1beta/files/session-1", "team-a", GATEWAY);

        assertThat(rewritten).startsWith(GATEWAY + "/upload/v1beta/files/session-1?gateway_upload_token=team-a.");
        URI uri = URI.create(rewritten);
        assertThat(rewriter.authorize(uri.getRawPath(), uri.getRawQuery()).upstreamTarget())
                .isEqualTo("/upload/v1beta/files/session-1");
    }

    private static void assertUnauthenticated(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(ErrorStatus.UNAUTHENTICATED));
    }
}
