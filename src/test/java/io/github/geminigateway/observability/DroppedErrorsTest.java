package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Operators;
import reactor.netty.channel.AbortedException;
import reactor.util.context.Context;

/**
 * The level at which a dropped error is logged: DEBUG for a caller that went away, ERROR with its cause otherwise,
 * and never Reactor's default ERROR line.
 */
class DroppedErrorsTest {

    private final Logger dropped = (Logger) LoggerFactory.getLogger(DroppedErrors.class);
    private final Logger reactorDefault = (Logger) LoggerFactory.getLogger(Operators.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level droppedLevel;

    @BeforeEach
    void capture() {
        DroppedErrors.install();
        droppedLevel = dropped.getLevel();
        dropped.setLevel(Level.DEBUG);
        events.start();
        dropped.addAppender(events);
        reactorDefault.addAppender(events);
    }

    @AfterEach
    void release() {
        dropped.detachAppender(events);
        reactorDefault.detachAppender(events);
        dropped.setLevel(droppedLevel);
    }

    @Test
    void aCallerThatHungUpIsADebugLineNotAnError() {
        Operators.onErrorDropped(AbortedException.beforeSend(), Context.empty());
        Operators.onErrorDropped(new IOException("Connection reset by peer"), Context.empty());

        assertThat(events.list).hasSize(2).allSatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getLoggerName()).isEqualTo(DroppedErrors.class.getName());
        });
    }

    @Test
    void anyOtherDroppedErrorIsStillAnErrorLineWithItsCause() {
        IllegalStateException bug = new IllegalStateException("a bug in a relay operator");

        Operators.onErrorDropped(bug, Context.empty());

        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getLoggerName()).isEqualTo(DroppedErrors.class.getName());
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("a bug in a relay operator");
        });
    }
}
