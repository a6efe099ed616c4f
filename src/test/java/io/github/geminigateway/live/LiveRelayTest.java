package io.github.geminigateway.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.geminigateway.support.FakeLive;
import io.github.geminigateway.support.LiveClient;
import io.github.geminigateway.support.RawHttp;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.support.TestHttp;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The Live API through a whole gateway, over real sockets: a caller on the JDK's WebSocket client, and a fake Google
 * endpoint the test drives frame by frame. Every frame crosses unchanged both ways, the caller's key never reaches
 * Google, refusals close with a clear code and reason before anything goes upstream, and closes cross both ways.
 */
@ExtendWith(OutputCaptureExtension.class)
class LiveRelayTest {

    private static final String MODEL = "gemini-3.1-flash-live-preview";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static FakeLive google;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        google = FakeLive.start();
        gateway = RunningGateway.start(google.baseUrl(),
                RunningGateway.clientArg("team-b"),
                "--gateway.clients.team-b.models=gemini-2.5-flash");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        google.close();
    }

    @Test
    void textBinaryAndPingsCrossUnchangedBothWaysWithTheKeyHeldServerSide(CapturedOutput output) throws Exception {
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY)) {
            String setup = LiveClient.setup(MODEL);
            caller.sendText(setup);
            FakeLive.Session session = google.nextSession();

            assertThat(session.uri()).as("the canonical path, no key in the URL")
                    .isEqualTo("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent");
            assertThat(session.headers().get("x-goog-api-key")).isEqualTo(RunningGateway.UPSTREAM_KEY);
            assertThat(session.headers().toString()).doesNotContain(RunningGateway.CLIENT_KEY);
            FakeLive.Frame first = session.nextFrame();
            assertThat(first.kind()).isEqualTo("text");
            assertThat(first.text()).as("the setup goes on byte for byte").isEqualTo(setup);

            session.sendBinary("{\"setupComplete\": {}}".getBytes(StandardCharsets.UTF_8));
            FakeLive.Frame setupComplete = caller.nextMessage();
            assertThat(setupComplete.kind()).as("Google's binary JSON stays binary").isEqualTo("binary");
            assertThat(setupComplete.text()).isEqualTo("{\"setupComplete\": {}}");

            byte[] audio = new byte[70_000];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = (byte) i;
            }
            caller.sendBinary(audio);
            FakeLive.Frame relayed = session.nextFrame();
            assertThat(relayed.kind()).isEqualTo("binary");
            assertThat(relayed.bytes()).isEqualTo(audio);

            caller.sendPing("are-you-there".getBytes(StandardCharsets.UTF_8));
            FakeLive.Frame ping = session.nextFrame();
            assertThat(ping.kind()).as("the caller's ping reaches Google").isEqualTo("ping");
            assertThat(ping.text()).isEqualTo("are-you-there");
            FakeLive.Frame pong = caller.nextMessage();
            assertThat(pong.kind()).as("and Google's pong comes back").isEqualTo("pong");
            assertThat(pong.text()).isEqualTo("are-you-there");

            session.sendText("{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \"Hi\"}]}}}");
            assertThat(caller.nextMessage().text()).contains("\"Hi\"");

            caller.close(1000, "bye");
            WebSocketCloseStatus close = session.closeReceived();
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.reasonText()).isEqualTo("bye");
        }
        await().atMost(WAIT).until(() -> output.getOut().contains("operation=live"));
        assertThat(output.getAll()).doesNotContain(RunningGateway.CLIENT_KEY)
                .doesNotContain(RunningGateway.UPSTREAM_KEY);
        assertThat(output.getOut()).containsPattern("model=" + MODEL.replace(".", "\\.")
                + " operation=live status=101 upstream_status=101 .* close_code=1000 closed_by=client");
    }

    @Test
    void theUsageGoogleReportsPerTurnIsSummedIntoTheTokenMetricsAndTheSessionIsMetered() throws Exception {
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY)) {
            caller.sendText(LiveClient.setup("gemini-2.5-flash-lite"));
            FakeLive.Session session = google.nextSession();
            session.nextFrame();
            for (int turn = 0; turn < 2; turn++) {
                session.sendBinary(("{\"serverContent\": {\"turnComplete\": true}, \"usageMetadata\": "
                        + "{\"promptTokenCount\": 100, \"responseTokenCount\": 7, \"thoughtsTokenCount\": 3, "
                        + "\"totalTokenCount\": 110}}").getBytes(StandardCharsets.UTF_8));
                caller.nextMessage();
            }
            caller.close(1000, "done");
            session.closeReceived();
        }
        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = TestHttp.prometheus(gateway);
            assertThat(metrics)
                    .contains("gemini_gateway_tokens_total{client=\"team-a\",model=\"gemini-2.5-flash-lite\","
                            + "type=\"prompt\"} 200.0")
                    .contains("gemini_gateway_tokens_total{client=\"team-a\",model=\"gemini-2.5-flash-lite\","
                            + "type=\"output\"} 14.0")
                    .contains("gemini_gateway_tokens_total{client=\"team-a\",model=\"gemini-2.5-flash-lite\","
                            + "type=\"thoughts\"} 6.0")
                    .containsPattern("gemini_gateway_live_session_duration_seconds_count\\{close_code=\"1000\","
                            + "closed_by=\"client\",model=\"gemini-2\\.5-flash-lite\"} 1")
                    .containsPattern("gemini_gateway_live_frames_total\\{direction=\"upstream_to_client\","
                            + "model=\"gemini-2\\.5-flash-lite\"} 2")
                    .containsPattern("gemini_gateway_live_frames_total\\{direction=\"client_to_upstream\","
                            + "model=\"gemini-2\\.5-flash-lite\"} 1")
                    .containsPattern("gemini_gateway_requests_seconds_count\\{client=\"team-a\",error_type=\"none\","
                            + "model=\"gemini-2\\.5-flash-lite\",operation=\"live\",status=\"101\"} 1");
        });
    }

    @Test
    void aModelTheClientMayNotUseIsClosedWith1008AndNothingGoesUpstream() throws Exception {
        int before = google.sessionsOpened();
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), "team-b-key")) {
            caller.sendText(LiveClient.setup(MODEL));
            LiveClient.Close close = caller.closed();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).contains("'team-b' may not use model '" + MODEL + "'");
        }
        assertThat(google.sessionsOpened()).isEqualTo(before);
    }

    @Test
    void aFirstMessageThatIsNotASetupWithAModelIsClosedWith1007() throws Exception {
        int before = google.sessionsOpened();
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY)) {
            caller.sendText("{\"clientContent\":{\"turns\":[],\"turnComplete\":true}}");
            LiveClient.Close close = caller.closed();
            assertThat(close.code()).isEqualTo(1007);
            assertThat(close.reason()).contains("first message must be {\"setup\"");
        }
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY)) {
            caller.sendText("{\"setup\":{\"model\":\"models/../files\"}}");
            LiveClient.Close close = caller.closed();
            assertThat(close.code()).isEqualTo(1007);
            assertThat(close.reason()).contains("Malformed 'setup.model'");
        }
        assertThat(google.sessionsOpened()).isEqualTo(before);
    }

    @Test
    void aBadOrMissingKeyIsAGeminiShaped401BeforeTheUpgrade() {
        for (String key : new String[] {"not-a-gateway-key", null}) {
            assertThatThrownBy(() -> LiveClient.connect(gateway.baseUrl(), key))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(failure -> {
                        HttpResponse<?> response = ((WebSocketHandshakeException) failure).getResponse();
                        assertThat(response.statusCode()).isEqualTo(401);
                    });
        }
        RawHttp.Answer plain = RawHttp.send(gateway.baseUrl(), "GET", LiveClient.PATH + "?key=not-a-gateway-key",
                Map.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Version", "13",
                        "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), (byte[]) null);
        assertThat(plain.status()).isEqualTo(401);
        JsonNode error = TestHttp.json(plain.text()).get("error");
        assertThat(error.get("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.get("message").asText()).contains("API key not valid");
        assertThat(plain.text()).doesNotContain("not-a-gateway-key");
    }

    @Test
    void theKeyMayComeInTheQueryAsTheJsSdkSendsItAndNeverGoesOnInTheUrl() throws Exception {
        try (LiveClient caller = LiveClient.connectTo(gateway.baseUrl(), "/" + LiveClient.PATH.replace(
                "v1beta", "v1alpha") + "?key=" + RunningGateway.CLIENT_KEY)) {
            caller.sendText(LiveClient.setup(MODEL));
            FakeLive.Session session = google.nextSession();
            assertThat(session.uri()).isEqualTo(
                    "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent");
            assertThat(session.headers().get("x-goog-api-key")).isEqualTo(RunningGateway.UPSTREAM_KEY);
            session.nextFrame();
            caller.close(1000, "");
            session.closeReceived();
        }
    }

    @Test
    void pathsAndRequestsThatAreNotALiveUpgradeGetGeminiShapedErrors() {
        HttpResponse<String> unknown = TestHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                + "/ws/google.ai.generativelanguage.v1beta.GenerativeService.Other"))
                .header("x-goog-api-key", RunningGateway.CLIENT_KEY));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(unknown.body()).at("/error/status").asText()).isEqualTo("NOT_FOUND");

        HttpResponse<String> notUpgraded = TestHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                + LiveClient.PATH)).header("x-goog-api-key", RunningGateway.CLIENT_KEY));
        assertThat(notUpgraded.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(notUpgraded.body()).at("/error/message").asText()).contains("WebSocket");
    }

    @Test
    void googlesInternalErrorCloseReachesTheCallerAs1011WithItsReason() throws Exception {
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY)) {
            caller.sendText(LiveClient.setup(MODEL));
            FakeLive.Session session = google.nextSession();
            session.nextFrame();
            session.close(1011, "The service is currently unavailable.");
            LiveClient.Close close = caller.closed();
            assertThat(close.code()).isEqualTo(1011);
            assertThat(close.reason()).isEqualTo("The service is currently unavailable.");
        }
    }

    @Test
    void aLostConnectionToGoogleReachesTheCallerAs1011() throws Exception {
        try (LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY)) {
            caller.sendText(LiveClient.setup(MODEL));
            FakeLive.Session session = google.nextSession();
            session.nextFrame();
            session.drop();
            LiveClient.Close close = caller.closed();
            assertThat(close.code()).isEqualTo(1011);
            assertThat(close.reason()).contains("connection to Google was lost");
        }
    }

    @Test
    void aCallerThatLeavesWithoutACloseClosesTheUpstreamSession() throws Exception {
        LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY);
        caller.sendText(LiveClient.setup(MODEL));
        FakeLive.Session session = google.nextSession();
        session.nextFrame();
        caller.abort();
        WebSocketCloseStatus close = session.closeReceived();
        assertThat(close.code()).isEqualTo(1001);
        assertThat(close.reasonText()).contains("client went away");
    }
}
