package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Operators;
import reactor.netty.channel.AbortedException;
import reactor.util.context.Context;

/** What the log says when Reactor drops an error: nothing at ERROR for a caller that went away, ERROR otherwise. */
@ExtendWith(OutputCaptureExtension.class)
class DroppedErrorsTest {

    @Test
    void aCallerThatHungUpIsNoErrorLine(CapturedOutput output) {
        DroppedErrors.install();

        Operators.onErrorDropped(AbortedException.beforeSend(), Context.empty());
        Operators.onErrorDropped(new IOException("Connection reset by peer"), Context.empty());

        assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("onErrorDropped")
                .doesNotContain("Connection has been closed BEFORE send operation");
    }

    @Test
    void anyOtherDroppedErrorStillIsAnErrorLineWithItsCause(CapturedOutput output) {
        DroppedErrors.install();

        Operators.onErrorDropped(new IllegalStateException("a bug in a relay operator"), Context.empty());

        assertThat(output.getAll()).contains("ERROR").contains("An error arrived after its request had already ended")
                .contains("a bug in a relay operator");
    }
}
