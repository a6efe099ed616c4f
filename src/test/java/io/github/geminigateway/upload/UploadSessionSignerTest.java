package io.github.geminigateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class UploadSessionSignerTest {

    private static final byte[] SECRET = "shared-replica-secret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);
    private static final String TARGET = "/upload/v1beta/files?upload_id=ABC123&upload_protocol=resumable";

    private static UploadSessionSigner signerAt(Instant instant) {
        return new UploadSessionSigner(SECRET, TTL, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aSignedTokenVerifiesToItsClient() {
        UploadSessionSigner signer = signerAt(NOW);

        assertThat(signer.verify(signer.sign("team-a", TARGET), TARGET)).isEqualTo("team-a");
    }

    /** Issue 18, item 8: client ids may contain dots, which the token used to be split on. */
    @Test
    void aClientIdWithDotsVerifiesToItself() {
        UploadSessionSigner signer = signerAt(NOW);

        assertThat(signer.verify(signer.sign("search.team.a", TARGET), TARGET)).isEqualTo("search.team.a");
        assertUnauthenticated(() -> signer.verify(".123.abc", TARGET));
        assertUnauthenticated(() -> signer.verify("abc", TARGET));
    }

    @Test
    void anotherReplicaWithTheSameSecretAcceptsTheToken() {
        String token = signerAt(NOW).sign("team-a", TARGET);

        assertThat(signerAt(NOW.plusSeconds(5)).verify(token, TARGET)).isEqualTo("team-a");
    }

    @Test
    void aTokenForOneUploadDoesNotAuthoriseAnother() {
        String token = signerAt(NOW).sign("team-a", TARGET);

        assertUnauthenticated(() -> signerAt(NOW).verify(token,
                "/upload/v1beta/files?upload_id=OTHER&upload_protocol=resumable"));
        assertUnauthenticated(() -> signerAt(NOW).verify(token, TARGET + "&extra=1"));
    }

    @Test
    void aTokenCannotBeMovedToAnotherClient() {
        String token = signerAt(NOW).sign("team-a", TARGET);
        String forged = "team-b" + token.substring("team-a".length());

        assertUnauthenticated(() -> signerAt(NOW).verify(forged, TARGET));
    }

    @Test
    void aTamperedExpiryOrMacIsRefused() {
        String token = signerAt(NOW).sign("team-a", TARGET);
        String[] parts = token.split("\\.");
        String laterExpiry = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];
        char last = parts[2].charAt(parts[2].length() - 1);
        String otherMac = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertUnauthenticated(() -> signerAt(NOW).verify(laterExpiry, TARGET));
        assertUnauthenticated(() -> signerAt(NOW).verify(otherMac, TARGET));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String token = new UploadSessionSigner("other-secret".getBytes(StandardCharsets.UTF_8), TTL,
                Clock.fixed(NOW, ZoneOffset.UTC)).sign("team-a", TARGET);

        assertUnauthenticated(() -> signerAt(NOW).verify(token, TARGET));
    }

    @Test
    void malformedTokensAreRefused() {
        for (String malformed : new String[] {null, "", "team-a", "team-a.123", "team-a.soon.mac", "a.b.c.d"}) {
            assertUnauthenticated(() -> signerAt(NOW).verify(malformed, TARGET));
        }
    }

    @Test
    void aTokenIsValidUntilItsExpiryAndRefusedAfter() {
        String token = signerAt(NOW).sign("team-a", TARGET);

        assertThat(signerAt(NOW.plus(TTL)).verify(token, TARGET)).isEqualTo("team-a");
        assertThatThrownBy(() -> signerAt(NOW.plus(TTL).plusSeconds(1)).verify(token, TARGET))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(ErrorStatus.UNAUTHENTICATED);
                    assertThat(e.getMessage()).contains("expired");
                });
    }

    @Test
    void theTokenIsSafeInAUrlQuery() {
        assertThat(signerAt(NOW).sign("team-a", TARGET)).matches("[A-Za-z0-9._-]+");
    }

    private static void assertUnauthenticated(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(ErrorStatus.UNAUTHENTICATED));
    }
}
