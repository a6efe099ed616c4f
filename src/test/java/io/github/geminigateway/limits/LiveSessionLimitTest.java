package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.geminigateway.support.FakeLive;
import io.github.geminigateway.support.LiveClient;
import io.github.geminigateway.support.RunningGateway;
import io.github.geminigateway.support.TestHttp;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client's {@code max-concurrent-sessions} holds across a fleet: two gateways on one Redis let a client allowed
 * one Live session open one, whichever replica it lands on. The second is closed with 1013 and the limit's message
 * before anything goes upstream, and once the first ends its slot is free on the other replica at once.
 */
class LiveSessionLimitTest {

    private static final String MODEL = "gemini-3.1-flash-live-preview";

    private static RedisServerFixture redis;
    private static FakeLive google;
    private static RunningGateway first;
    private static RunningGateway second;

    @BeforeAll
    static void startFleet() {
        redis = RedisServerFixture.start();
        google = FakeLive.start();
        first = gateway();
        second = gateway();
    }

    private static RunningGateway gateway() {
        return RunningGateway.start(google.baseUrl(),
                "--gateway.clients.team-a.max-concurrent-sessions=1",
                "--gateway.limits.store=redis",
                "--gateway.limits.redis-timeout=2s",
                "--spring.data.redis.url=" + redis.url());
    }

    @AfterAll
    static void stopFleet() {
        first.close();
        second.close();
        google.close();
        redis.close();
    }

    @Test
    void oneSessionAtATimeAcrossTwoReplicas() throws Exception {
        LiveClient open = LiveClient.connect(first.baseUrl(), RunningGateway.CLIENT_KEY);
        open.sendText(LiveClient.setup(MODEL));
        FakeLive.Session session = google.nextSession();
        session.nextFrame();

        try (LiveClient refused = LiveClient.connect(second.baseUrl(), RunningGateway.CLIENT_KEY)) {
            refused.sendText(LiveClient.setup(MODEL));
            LiveClient.Close close = refused.closed();
            assertThat(close.code()).as("try again later").isEqualTo(1013);
            assertThat(close.reason()).contains("client 'team-a' is allowed 1 concurrent Live API sessions");
        }
        assertThat(google.sessionsOpened()).as("the refused session never reached Google").isEqualTo(1);

        open.close(1000, "done");
        session.closeReceived();
        open.closed();
        // The slot is freed when the first replica has ended the session, which its open-sessions gauge shows.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                TestHttp.prometheus(first).contains("gemini_gateway_live_sessions_active 0.0"));
        try (LiveClient next = LiveClient.connect(second.baseUrl(), RunningGateway.CLIENT_KEY)) {
            next.sendText(LiveClient.setup(MODEL));
            FakeLive.Session again = google.nextSession();
            assertThat(again.nextFrame().text()).isEqualTo(LiveClient.setup(MODEL));
            next.close(1000, "");
            again.closeReceived();
        }
    }
}
