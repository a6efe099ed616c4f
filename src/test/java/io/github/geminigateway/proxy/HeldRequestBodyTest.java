package io.github.geminigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class HeldRequestBodyTest {

    private static final byte[] JSON = "{\"contents\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyAttemptGetsTheWholeBodyAfresh() {
        HeldRequestBody body = new HeldRequestBody(JSON);

        assertThat(read(body)).isEqualTo(JSON);
        assertThat(read(body)).isEqualTo(JSON);
        assertThat(body.length()).isEqualTo(JSON.length);
    }

    @Test
    void onceReleasedItHoldsNoBytesAndAnotherAttemptFailsLoudlyInsteadOfSendingNothing() {
        HeldRequestBody body = new HeldRequestBody(JSON);

        body.release();

        assertThat(body.length()).isEqualTo(JSON.length);
        assertThatThrownBy(() -> read(body)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyBodySendsNoBuffer() {
        assertThat(Mono.from(new HeldRequestBody(new byte[0]).replayable()).blockOptional()).isEmpty();
    }

    private static byte[] read(HeldRequestBody body) {
        ByteBuf buffer = Mono.from(body.replayable()).block();
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        return bytes;
    }
}
