package io.github.geminigateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.geminigateway.config.Sha256;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.GatewayException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientKeyAuthenticatorTest {

    private static final String TEAM_A_KEY = "gw-team-a-key";
    private static final String TEAM_B_KEY = "gw-team-b-key";

    private static ClientKeyAuthenticator authenticator(Map<String, ClientConfig> clients) {
        return new ClientKeyAuthenticator(new ClientProperties(clients));
    }

    private static ClientKeyAuthenticator twoClients() {
        Map<String, ClientConfig> clients = new LinkedHashMap<>();
        clients.put("team-a", new ClientConfig(Sha256.hex(TEAM_A_KEY), List.of()));
        clients.put("team-b", new ClientConfig(Sha256.hex(TEAM_B_KEY),
                List.of("models/gemini-2.5-pro", "gemini-2.5-flash")));
        return authenticator(clients);
    }

    @Test
    void aValidKeyIdentifiesItsClient() {
        ClientKeyAuthenticator authenticator = twoClients();

        assertThat(authenticator.authenticate(TEAM_A_KEY).id()).isEqualTo("team-a");
        assertThat(authenticator.authenticate(TEAM_B_KEY).id()).isEqualTo("team-b");
    }

    @Test
    void theAllowListAcceptsModelIdsWithOrWithoutTheModelsPrefix() {
        Caller teamB = twoClients().authenticate(TEAM_B_KEY);

        assertThat(teamB.models()).containsExactlyInAnyOrder("gemini-2.5-pro", "gemini-2.5-flash");
        assertThat(teamB.mayUse("gemini-2.5-pro")).isTrue();
        assertThat(teamB.mayUse("gemini-2.5-flash-lite")).isFalse();
    }

    @Test
    void aClientWithoutAnAllowListMayUseEveryModel() {
        assertThat(twoClients().authenticate(TEAM_A_KEY).mayUse("anything-at-all")).isTrue();
    }

    @Test
    void anUnknownKeyIs401AndTheMessageDoesNotEchoIt() {
        assertThatThrownBy(() -> twoClients().authenticate("gw-wrong-key-MARKER"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(ErrorStatus.UNAUTHENTICATED);
                    assertThat(e.getMessage()).doesNotContain("gw-wrong-key-MARKER");
                });
    }

    @Test
    void aMissingOrBlankKeyIs401() {
        for (String missing : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> twoClients().authenticate(missing))
                    .isInstanceOfSatisfying(GatewayException.class,
                            e -> assertThat(e.status()).isEqualTo(ErrorStatus.UNAUTHENTICATED));
        }
    }

    @Test
    void withNoClientsConfiguredEveryKeyIs401() {
        assertThatThrownBy(() -> authenticator(Map.of()).authenticate(TEAM_A_KEY))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void anUpperCaseHashIsAccepted() {
        ClientKeyAuthenticator authenticator = authenticator(Map.of("team-a",
                new ClientConfig(Sha256.hex(TEAM_A_KEY).toUpperCase(), List.of())));

        assertThat(authenticator.authenticate(TEAM_A_KEY).id()).isEqualTo("team-a");
    }

    @Test
    void aBadConfiguredHashFailsWithAMessageThatSaysWhatToSet() {
        for (String bad : new String[] {null, "", "abc", "zz" + "0".repeat(62), TEAM_A_KEY}) {
            assertThatThrownBy(() -> authenticator(Map.of("team-a", new ClientConfig(bad, List.of()))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gateway.clients.team-a.key-sha256")
                    .hasMessageContaining("SHA-256")
                    .hasMessageContaining("sha256sum");
        }
    }

    @Test
    void aBadClientIdFailsWithAHelpfulMessage() {
        assertThatThrownBy(() -> authenticator(Map.of("team a!",
                new ClientConfig(Sha256.hex(TEAM_A_KEY), List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("team a!")
                .hasMessageContaining("letters, digits");
    }

    @Test
    void byIdFindsAConfiguredClientAndRefusesAnUnknownOneWith401() {
        ClientKeyAuthenticator authenticator = twoClients();

        assertThat(authenticator.byId("team-b").models()).contains("gemini-2.5-pro");
        assertThatThrownBy(() -> authenticator.byId("team-gone"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.status()).isEqualTo(ErrorStatus.UNAUTHENTICATED));
    }

    @Test
    void aKeyMatchesTheLowerCaseHexDigestOperatorsGetFromSha256sum() {
        // printf %s gw-demo-key | sha256sum
        ClientKeyAuthenticator authenticator = authenticator(Map.of("demo",
                new ClientConfig("3a9049c62b74d338ebcabad13065aa0a5435e1efdba0176c9c17a5bfa1fac5ff", List.of())));

        assertThat(authenticator.authenticate("gw-demo-key").id()).isEqualTo("demo");
    }
}
