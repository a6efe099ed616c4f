package io.github.geminigateway.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.netty.channel.AbortedException;

/**
 * Errors Reactor drops because nobody is left to receive them. A caller that hangs up while its answer is being
 * written leaves one behind ("Connection has been closed BEFORE send operation"), and Reactor's default logs it at
 * ERROR with a stack trace: noise on every load-balancer timeout or impatient client, where an operator looks for
 * real failures. Those go to DEBUG; any other dropped error may be a bug and stays at ERROR.
 */
public final class DroppedErrors {

    private static final Logger LOG = LoggerFactory.getLogger(DroppedErrors.class);
    private static boolean installed;

    private DroppedErrors() {
    }

    /** Replaces Reactor's default for dropped errors, once per JVM (Reactor's hooks add up). */
    public static synchronized void install() {
        if (!installed) {
            Hooks.onErrorDropped(DroppedErrors::log);
            installed = true;
        }
    }

    static void log(Throwable error) {
        if (AbortedException.isConnectionReset(error)) {
            LOG.debug("The caller's connection closed before the gateway was done with it: {}", error.toString());
        } else {
            LOG.error("An error arrived after its request had already ended", error);
        }
    }
}
