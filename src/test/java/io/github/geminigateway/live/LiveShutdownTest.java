package io.github.geminigateway.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.geminigateway.support.FakeLive;
import io.github.geminigateway.support.LiveClient;
import io.github.geminigateway.support.RunningGateway;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (closing the application context) with a Live session open: the session is told {@code goAway} with the
 * drain period as its time left, it goes on relaying while new sessions are refused, and the shutdown completes
 * once the caller has closed it, or, at the end of the drain period, with both sides closed 1001.
 */
class LiveShutdownTest {

    private static final String MODEL = "gemini-3.1-flash-live-preview";

    @Test
    void anOpenSessionIsToldGoAwayAndRunsOnUntilItsCallerClosesIt() throws Exception {
        try (FakeLive google = FakeLive.start()) {
            RunningGateway gateway = RunningGateway.start(google.baseUrl(),
                    "--spring.lifecycle.timeout-per-shutdown-phase=30s");
            String baseUrl = gateway.baseUrl();
            LiveClient caller = LiveClient.connect(baseUrl, RunningGateway.CLIENT_KEY);
            caller.sendText(LiveClient.setup(MODEL));
            FakeLive.Session session = google.nextSession();
            session.nextFrame();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

            FakeLive.Frame goAway = caller.nextMessage();
            assertThat(goAway.text()).isEqualTo("{\"goAway\":{\"timeLeft\":\"25s\"}}");
            Throwable refused = catchThrowable(() -> LiveClient.connect(baseUrl, RunningGateway.CLIENT_KEY));
            assertThat(refused).as("no new session while draining").isNotNull();

            session.sendText("{\"serverContent\": {\"turnComplete\": true}}");
            assertThat(caller.nextMessage().text()).as("the open session still relays")
                    .isEqualTo("{\"serverContent\": {\"turnComplete\": true}}");
            assertThat(closing).as("the shutdown waits for the open session").isNotDone();

            caller.close(1000, "bye");
            assertThat(session.closeReceived().code()).isEqualTo(1000);
            closing.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSessionStillOpenWhenTheDrainPeriodEndsIsClosedWith1001BothWays() throws Exception {
        try (FakeLive google = FakeLive.start()) {
            RunningGateway gateway = RunningGateway.start(google.baseUrl(),
                    "--spring.lifecycle.timeout-per-shutdown-phase=2s");
            LiveClient caller = LiveClient.connect(gateway.baseUrl(), RunningGateway.CLIENT_KEY);
            caller.sendText(LiveClient.setup(MODEL));
            FakeLive.Session session = google.nextSession();
            session.nextFrame();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

            assertThat(caller.nextMessage().text()).contains("goAway");
            LiveClient.Close close = caller.closed();
            assertThat(close.code()).isEqualTo(1001);
            assertThat(close.reason()).contains("shutting down");
            assertThat(session.closeReceived().code()).isEqualTo(1001);
            closing.get(20, TimeUnit.SECONDS);
        }
    }
}
