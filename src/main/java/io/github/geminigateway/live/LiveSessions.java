package io.github.geminigateway.live;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The Live sessions open on this replica, and what a shutdown does to them. When the graceful shutdown begins, new
 * upgrades are refused (503) and every open session is told {@code goAway} with the drain period as its time left,
 * as Google does before it ends a connection: a caller with session resumption reconnects to another replica.
 * Reactor Netty's graceful shutdown then waits for the open sessions until the drain period ends; the ones still
 * open then are closed with 1001, just before the server stops, rather than cut without a close frame.
 */
final class LiveSessions {

    private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

    private final Set<LiveSession> open = ConcurrentHashMap.newKeySet();
    private final Duration drain;
    private volatile boolean draining;

    LiveSessions(Duration drain) {
        this.drain = drain;
    }

    void opened(LiveSession session) {
        open.add(session);
    }

    void closed(LiveSession session) {
        open.remove(session);
    }

    boolean draining() {
        return draining;
    }

    /** Stops before the web server's graceful shutdown starts: no new sessions, and goAway to the open ones. */
    SmartLifecycle drainOnShutdown() {
        return new Phase(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1, () -> {
            draining = true;
            if (!open.isEmpty()) {
                log.info("Shutting down: {} open Live session(s) told goAway, {}s to drain", open.size(),
                        drain.toSeconds());
            }
            long secondsLeft = Math.max(1, drain.toSeconds() - 5);
            open.forEach(session -> session.goAway(secondsLeft));
        });
    }

    /** Stops once the graceful shutdown has waited its period: the sessions still open are closed with 1001. */
    SmartLifecycle closeAfterDrain() {
        return new Phase(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1, () -> {
            open.forEach(session -> session.stop(CloseCodes.GOING_AWAY,
                    "The gateway is shutting down; reconnect (with session resumption) to go on."));
        });
    }

    /** A lifecycle that does nothing on start and runs its action on stop, in a given phase. */
    private static final class Phase implements SmartLifecycle {

        private final int phase;
        private final Runnable onStop;
        private volatile boolean running;

        Phase(int phase, Runnable onStop) {
            this.phase = phase;
            this.onStop = onStop;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            onStop.run();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }
}
