package io.github.geminigateway.upload;

import static io.github.geminigateway.error.GeminiErrorAssert.assertGatewayError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.config.Sha256;
import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.FakeGemini.RecordedRequest;
import io.github.geminigateway.support.FakeGemini.Reply;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * Resumable uploads through the gateway: the upload URL Google hands out is rewritten to the gateway, and chunk
 * requests to it are authorised by the signed token in that URL, with or without a key. Request bodies are limited to
 * 1KB here, which must not apply to upload chunks.
 */
class UploadRelayTest {

    static final String UPLOAD_ID = "AB-cd_123";
    /** Each upload start gets its own session, as from Google: an ended session's URL authorises nothing more. */
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    /** The Google upload target of the last upload start. */
    static String googleTarget() {
        return "/upload/v1beta/files?upload_id=" + UPLOAD_ID + "-" + SESSIONS.get() + "&upload_protocol=resumable";
    }
    private static final String TEAM_B_KEY = "gw-team-b-key";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FILE_JSON = "{\"file\": {\"name\": \"files/abc123\",\"mimeType\": "
            + "\"application/octet-stream\",\"sizeBytes\": \"4096\",\"state\": \"ACTIVE\"}}";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.clients.team-b.key-sha256=" + Sha256.hex(TEAM_B_KEY),
                "--gateway.max-request-size=1KB");
    private static final FakeGemini upstream = gateway.upstream();
    private int upstreamRequestsBefore;

    @Test
    void theUploadUrlPointsAtTheGatewayWithGooglesPathAndQueryPlusAToken() throws InterruptedException {
        RawHttp.Answer started = startUpload(upstream, gateway, Map.of());

        assertThat(started.status()).isEqualTo(200);
        assertThat(started.headers().getFirst("X-Goog-Upload-URL"))
                .startsWith(gateway.baseUrl() + googleTarget() + "&gateway_upload_token=team-a.")
                .doesNotContain(upstream.baseUrl());
        assertThat(started.headers().getFirst("X-Goog-Upload-Status")).isEqualTo("active");
        assertThat(started.headers().getFirst("X-Goog-Upload-Chunk-Granularity")).isEqualTo("262144");

        RecordedRequest start = upstream.awaitRequest(WAIT);
        assertThat(start.uri()).isEqualTo("/upload/v1beta/files");
        assertThat(start.headers().getAll("x-goog-api-key")).containsExactly(RunningGateway.UPSTREAM_KEY);
        assertThat(start.headers().get("X-Goog-Upload-Protocol")).isEqualTo("resumable");
        assertThat(start.headers().get("X-Goog-Upload-Command")).isEqualTo("start");
        assertThat(start.headers().get("X-Goog-Upload-Header-Content-Length")).isEqualTo("4096");
        assertThat(start.headers().get("X-Goog-Upload-Header-Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void behindAnIngressTheUploadUrlUsesTheForwardedHostAndProto() {
        RawHttp.Answer started = startUpload(upstream, gateway, Map.of(
                "X-Forwarded-Host", "gemini.example.com, proxy-1.internal", "X-Forwarded-Proto", "https"));

        assertThat(started.headers().getFirst("X-Goog-Upload-URL"))
                .startsWith("https://gemini.example.com" + googleTarget() + "&gateway_upload_token=team-a.");
    }

    @Test
    void aChunkWithoutAnyKeyIsAuthorisedByTheTokenAndForwardedWithTheRealKey() throws InterruptedException {
        URI uploadUrl = uploadUrl();
        byte[] chunk = randomBytes(4096);
        upstream.enqueue(finalChunkReply());

        RawHttp.Answer answer = sendChunk(uploadUrl, Map.of(), chunk);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().getFirst("X-Goog-Upload-Status")).isEqualTo("final");
        assertThat(answer.text()).isEqualTo(FILE_JSON);
        RecordedRequest received = upstream.awaitRequest(WAIT);
        assertThat(received.uri()).isEqualTo(googleTarget());
        assertThat(received.headers().getAll("x-goog-api-key")).containsExactly(RunningGateway.UPSTREAM_KEY);
        assertThat(received.headers().get("X-Goog-Upload-Command")).isEqualTo("upload, finalize");
        assertThat(received.headers().get("X-Goog-Upload-Offset")).isEqualTo("0");
        assertThat(received.body()).isEqualTo(chunk);
    }

    /** Issue 18, item 8: a finished session's URL used to replay for the token's whole 24 h. */
    @Test
    void onceTheSessionIsFinalItsUrlAuthorisesNoMoreChunks() throws InterruptedException {
        URI uploadUrl = uploadUrl();
        upstream.enqueue(finalChunkReply());
        assertThat(sendChunk(uploadUrl, Map.of(), randomBytes(64)).status()).isEqualTo(200);
        assertThat(upstream.awaitRequest(WAIT)).isNotNull();
        int before = upstream.requests().size();

        RawHttp.Answer replayed = sendChunk(uploadUrl, Map.of(), randomBytes(64));

        assertGatewayError(replayed.status(), replayed.headers(), replayed.body(), 401, "UNAUTHENTICATED");
        assertThat(replayed.text()).contains("upload session has ended");
        assertThat(upstream.requests()).as("nothing reached Google").hasSize(before);
    }

    @Test
    void aChunkWithTheSameClientsKeyIsForwardedToo() throws InterruptedException {
        URI uploadUrl = uploadUrl();
        upstream.enqueue(finalChunkReply());

        RawHttp.Answer answer = sendChunk(uploadUrl, Map.of("x-goog-api-key", RunningGateway.CLIENT_KEY),
                randomBytes(100));

        assertThat(answer.status()).isEqualTo(200);
        RecordedRequest received = upstream.awaitRequest(WAIT);
        assertThat(received.headers().getAll("x-goog-api-key")).containsExactly(RunningGateway.UPSTREAM_KEY);
        assertThat(received.uri()).doesNotContain("gateway_upload_token");
    }

    @Test
    void aTamperedTokenIs401AndNeverReachesUpstream() {
        URI uploadUrl = uploadUrl();
        String query = uploadUrl.getRawQuery();
        char last = query.charAt(query.length() - 1);
        URI tampered = URI.create(uploadUrl.toString().substring(0, uploadUrl.toString().length() - 1)
                + (last == 'A' ? 'B' : 'A'));
        URI otherUpload = URI.create(uploadUrl.toString().replace("upload_id=" + UPLOAD_ID, "upload_id=XY-999"));
        URI otherClient = URI.create(uploadUrl.toString().replace("gateway_upload_token=team-a.",
                "gateway_upload_token=team-b."));

        for (URI forged : new URI[] {tampered, otherUpload, otherClient}) {
            RawHttp.Answer answer = sendChunk(forged, Map.of(), randomBytes(10));
            assertGatewayError(answer.status(), answer.headers(), answer.body(), 401, "UNAUTHENTICATED");
        }
    }

    @Test
    void aChunkWithAnotherClientsKeyIs403() {
        URI uploadUrl = uploadUrl();

        RawHttp.Answer answer = sendChunk(uploadUrl, Map.of("x-goog-api-key", TEAM_B_KEY), randomBytes(10));

        assertGatewayError(answer.status(), answer.headers(), answer.body(), 403, "PERMISSION_DENIED");
    }

    @Test
    void aChunkWithAnUnknownKeyIs401() {
        URI uploadUrl = uploadUrl();

        RawHttp.Answer answer = sendChunk(uploadUrl, Map.of("x-goog-api-key", "gw-not-a-client"), randomBytes(10));

        assertGatewayError(answer.status(), answer.headers(), answer.body(), 401, "UNAUTHENTICATED");
    }

    @Test
    void aKeyAddedToTheUploadUrlQueryNeverReachesUpstream() throws InterruptedException {
        URI uploadUrl = URI.create(uploadUrl() + "&key=" + RunningGateway.CLIENT_KEY);
        upstream.enqueue(finalChunkReply());

        RawHttp.Answer answer = sendChunk(uploadUrl, Map.of(), randomBytes(10));

        if (answer.status() == 200) {
            RecordedRequest received = upstream.awaitRequest(WAIT);
            assertThat(received.uri()).isEqualTo(googleTarget());
        } else {
            assertGatewayError(answer.status(), answer.headers(), answer.body(), 401, "UNAUTHENTICATED");
        }
        assertThat(upstream.requests()).noneMatch(request -> request.uri().contains(RunningGateway.CLIENT_KEY));
    }

    /** Starts an upload and returns the rewritten upload URL; the start request is taken off the arrival queue. */
    private URI uploadUrl() {
        RawHttp.Answer started = startUpload(upstream, gateway, Map.of());
        assertThat(started.status()).isEqualTo(200);
        try {
            upstream.awaitRequest(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        upstreamRequestsBefore = upstream.requests().size();
        return URI.create(started.headers().getFirst("X-Goog-Upload-URL"));
    }

    @AfterEach
    void rejectedChunksNeverReachedUpstream() {
        if (upstreamRequestsBefore > 0) {
            assertThat(upstream.requests().stream().skip(upstreamRequestsBefore))
                    .allMatch(request -> request.headers().get("x-goog-api-key").equals(RunningGateway.UPSTREAM_KEY))
                    .allMatch(request -> request.uri().equals(googleTarget()));
        }
        upstreamRequestsBefore = 0;
    }

    /** An upload start as the SDKs send it, answered by the fake with a Google upload URL. */
    static RawHttp.Answer startUpload(FakeGemini upstream, RunningGateway gateway, Map<String, String> extra) {
        SESSIONS.incrementAndGet();
        String target = googleTarget();
        upstream.enqueue((request, response) -> response.status(200)
                .header("X-Goog-Upload-URL", upstream.baseUrl() + target)
                .header("X-Goog-Upload-Status", "active")
                .header("X-Goog-Upload-Chunk-Granularity", "262144")
                .header("Content-Type", "text/plain; charset=utf-8")
                .send());
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("x-goog-api-key", RunningGateway.CLIENT_KEY);
        headers.put("Content-Type", "application/json");
        headers.put("X-Goog-Upload-Protocol", "resumable");
        headers.put("X-Goog-Upload-Command", "start");
        headers.put("X-Goog-Upload-Header-Content-Length", "4096");
        headers.put("X-Goog-Upload-Header-Content-Type", "application/octet-stream");
        return RawHttp.send(gateway.baseUrl(), "POST", "/upload/v1beta/files", headers,
                "{\"file\": {\"displayName\": \"notes\"}}".getBytes(StandardCharsets.UTF_8));
    }

    /** A chunk sent the way python-genai sends it: to the upload URL, keeping only its path and query here. */
    private static RawHttp.Answer sendChunk(URI uploadUrl, Map<String, String> extra, byte[] chunk) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("X-Goog-Upload-Command", "upload, finalize");
        headers.put("X-Goog-Upload-Offset", "0");
        headers.put("Content-Type", "application/octet-stream");
        return RawHttp.send(gateway.baseUrl(), "POST", uploadUrl.getRawPath() + "?" + uploadUrl.getRawQuery(),
                headers, chunk);
    }

    private static Reply finalChunkReply() {
        return (request, response) -> response.status(200).header("X-Goog-Upload-Status", "final")
                .header("Content-Type", "application/json; charset=UTF-8")
                .sendString(Mono.just(FILE_JSON), StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
