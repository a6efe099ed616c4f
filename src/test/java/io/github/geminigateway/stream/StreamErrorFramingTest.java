package io.github.geminigateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamErrorFramingTest {

    private static final String ERROR = "{\"error\":{\"code\":503,\"message\":\"stalled\",\"status\":\"UNAVAILABLE\"}}";

    @Test
    void currentSdksGetADataEvent() {
        assertThat(StreamErrorFraming.forApiClient(null)).isEqualTo(StreamErrorFraming.DATA_EVENT);
        assertThat(StreamErrorFraming.forApiClient("google-genai-sdk/1.74.0 gl-python/3.12.3"))
                .isEqualTo(StreamErrorFraming.DATA_EVENT);
        assertThat(StreamErrorFraming.forApiClient("google-genai-sdk/2.0.0 gl-java/17.0.15"))
                .isEqualTo(StreamErrorFraming.DATA_EVENT);
        assertThat(StreamErrorFraming.forApiClient("google-genai-sdk/3.1.0 gl-node/v22.11.0"))
                .isEqualTo(StreamErrorFraming.DATA_EVENT);
        assertThat(StreamErrorFraming.forApiClient("google-genai-sdk/10.0.0 gl-node/v24.0.0"))
                .isEqualTo(StreamErrorFraming.DATA_EVENT);
        assertThat(StreamErrorFraming.forApiClient("curl/8.5.0")).isEqualTo(StreamErrorFraming.DATA_EVENT);
    }

    @Test
    void jsGenaiBeforeThreeGetsBareJson() {
        assertThat(StreamErrorFraming.forApiClient("google-genai-sdk/2.18.0 gl-node/v20.11.1"))
                .isEqualTo(StreamErrorFraming.BARE_JSON);
        assertThat(StreamErrorFraming.forApiClient("google-genai-sdk/1.30.0 gl-node/web"))
                .isEqualTo(StreamErrorFraming.BARE_JSON);
    }

    @Test
    void aDataEventIsOneDataLineAndABlankLine() {
        String framed = new String(StreamErrorFraming.DATA_EVENT.frame(ERROR.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);

        assertThat(framed).isEqualTo("data: " + ERROR + "\r\n\r\n");
        assertThat(framed.substring("data: ".length())).startsWith("{\"error\":");
    }

    @Test
    void bareJsonIsTheErrorObjectOnItsOwn() {
        String framed = new String(StreamErrorFraming.BARE_JSON.frame(ERROR.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);

        assertThat(framed).isEqualTo(ERROR + "\n").startsWith("{\"error\":");
    }
}
