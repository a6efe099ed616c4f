package io.github.geminigateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String MINTED = "[0-9a-f]{32}";

    @Test
    void keepsAWellFormedRequestId() {
        assertThat(RequestIds.resolve("order-42_retry.1:a-B", null)).isEqualTo("order-42_retry.1:a-B");
        String longest = "a".repeat(128);
        assertThat(RequestIds.resolve(longest, null)).isEqualTo(longest);
    }

    @Test
    void replacesAnIllFormedRequestIdInsteadOfEchoingIt() {
        for (String bad : new String[] {"", "has space", "line\r\nX-Injected: 1", "a".repeat(129), "caf\u00e9",
                "<script>", "a/b", "id;drop"}) {
            assertThat(RequestIds.resolve(bad, null)).as(bad).matches(MINTED);
        }
    }

    @Test
    void usesTheTraceIdOfATraceparentWhenThereIsNoRequestId() {
        assertThat(RequestIds.resolve(null, TRACEPARENT)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(RequestIds.resolve("bad id", TRACEPARENT)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aWellFormedRequestIdWinsOverTheTraceparent() {
        assertThat(RequestIds.resolve("caller-id", TRACEPARENT)).isEqualTo("caller-id");
    }

    @Test
    void anInvalidOrAllZeroTraceparentIsIgnored() {
        assertThat(RequestIds.resolve(null, "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).matches(MINTED)
                .isNotEqualTo("0".repeat(32));
        assertThat(RequestIds.resolve(null, "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
                .matches(MINTED).isNotEqualTo("4BF92F3577B34DA6A3CE929D0E0E4736");
        assertThat(RequestIds.resolve(null, "garbage")).matches(MINTED);
    }

    @Test
    void mintsADifferentIdEachTime() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(RequestIds.resolve(null, null));
        }
        assertThat(ids).hasSize(1000).allMatch(id -> id.matches(MINTED));
    }
}
