package io.github.geminigateway.auth;

import io.github.geminigateway.config.Sha256;
import io.github.geminigateway.error.GatewayException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the client a presented gateway key belongs to. The key is hashed and compared with every configured hash in
 * constant time, without stopping at the first match, so neither a key nor which client it belongs to can be
 * guessed from response timing.
 */
public final class ClientKeyAuthenticator {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<Map.Entry<byte[], Caller>> clients;

    public ClientKeyAuthenticator(ClientProperties properties) {
        Map<byte[], Caller> byHash = new LinkedHashMap<>();
        properties.clients().forEach((id, config) -> byHash.put(hashOf(id, config), callerOf(id, config)));
        this.clients = List.copyOf(byHash.entrySet());
    }

    /** The caller for this key; a missing or unknown key is a 401. */
    public Caller authenticate(String presentedKey) {
        return authenticate(presentedKey, "the x-goog-api-key header");
    }

    /** The same, saying where the key was expected when there is none. */
    public Caller authenticate(String presentedKey, String keyLocation) {
        if (presentedKey == null || presentedKey.isBlank()) {
            throw GatewayException.unauthenticated(
                    "Method doesn't allow unauthenticated callers: pass your gateway key as " + keyLocation + ".");
        }
        byte[] presented = Sha256.of(presentedKey.strip());
        Caller match = null;
        for (Map.Entry<byte[], Caller> client : clients) {
            if (MessageDigest.isEqual(presented, client.getKey())) {
                match = client.getValue();
            }
        }
        if (match == null) {
            throw GatewayException.unauthenticated("API key not valid. Please pass a valid gateway key.");
        }
        return match;
    }

    /** The configured client with this id, for requests authorised by something other than a key (upload chunks). */
    public Caller byId(String clientId) {
        return clients.stream().map(Map.Entry::getValue).filter(caller -> caller.id().equals(clientId))
                .findFirst().orElseThrow(() -> GatewayException.unauthenticated("The upload session's client is gone."));
    }

    private static byte[] hashOf(String id, ClientConfig config) {
        if (!CLIENT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("gateway.clients: client id '" + id
                    + "' must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
        if (config.keySha256() == null || !SHA256_HEX.matcher(config.keySha256()).matches()) {
            throw new IllegalArgumentException("gateway.clients." + id
                    + ".key-sha256 must be the 64-digit hex SHA-256 of the client's gateway key "
                    + "(for example: printf %s \"$KEY\" | sha256sum)");
        }
        return HexFormat.of().parseHex(config.keySha256().toLowerCase());
    }

    private static Caller callerOf(String id, ClientConfig config) {
        return new Caller(id, withoutPrefix(config.models(), "models/"), withoutPrefix(config.agents(), "agents/"));
    }

    private static Set<String> withoutPrefix(List<String> ids, String prefix) {
        return ids.stream().map(id -> id.startsWith(prefix) ? id.substring(prefix.length()) : id)
                .collect(Collectors.toSet());
    }
}
