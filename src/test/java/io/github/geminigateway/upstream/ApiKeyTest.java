package io.github.geminigateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream key type: its value is reachable only through reveal(), never through any rendering of it. */
class ApiKeyTest {

    private static final String SECRET = "AIzaSy-upstream-secret-0123456789";

    @Test
    void toStringShowsOnlyAFingerprint() {
        ApiKey key = new ApiKey(SECRET);

        assertThat(key.toString()).doesNotContain(SECRET).contains(key.fingerprint());
        assertThat(key.fingerprint()).hasSize(8).doesNotContain(SECRET.substring(0, 6));
        assertThat(String.valueOf(List.of(key))).doesNotContain(SECRET);
        assertThat(Map.of("key", key).toString()).doesNotContain(SECRET);
    }

    @Test
    void jsonRenderingShowsOnlyAFingerprint() throws Exception {
        String json = new ObjectMapper().writeValueAsString(Map.of("apiKeys", List.of(new ApiKey(SECRET))));

        assertThat(json).doesNotContain(SECRET);
    }

    @Test
    void revealGivesTheValueForTheUpstreamHeader() {
        assertThat(new ApiKey("  " + SECRET + "\n").reveal()).isEqualTo(SECRET);
    }

    @Test
    void aBlankKeyIsRefused() {
        assertThatThrownBy(() -> new ApiKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKey(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysWithTheSameValueAreEqual() {
        assertThat(new ApiKey(SECRET)).isEqualTo(new ApiKey(SECRET)).isNotEqualTo(new ApiKey(SECRET + "x"));
        assertThat(new ApiKey(SECRET).hashCode()).isEqualTo(new ApiKey(SECRET).hashCode());
    }
}
