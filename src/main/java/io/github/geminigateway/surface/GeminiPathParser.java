package io.github.geminigateway.surface;

import io.github.geminigateway.error.GatewayException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a raw request path against the shape of the Gemini REST API before anything is forwarded. It works on
 * the path as sent, still percent-encoded, and refuses every escape a traversal could hide in (dot segments, encoded
 * dots, slashes or backslashes, empty segments), because the upstream URL is built from this path.
 *
 * <p>A service calls few distinct paths (a handful of models and methods), so the paths of authenticated calls are
 * remembered ({@link #remember}): the regular expressions run once per path, not once per request. The memory is
 * bounded in entries and path length, and an unauthenticated caller cannot fill it; other paths are parsed every
 * time.
 */
public final class GeminiPathParser {

    private static final int REMEMBERED_PATHS = 4096;
    private static final int REMEMBERED_PATH_LENGTH = 256;

    private static final Pattern SURFACE = Pattern.compile("^/(upload/)?(v1|v1beta|v1alpha)/(.+)$");
    private static final Pattern SAFE_CHARACTERS = Pattern.compile("[A-Za-z0-9._~:/-]+");
    private static final Pattern MODEL_RESOURCE =
            Pattern.compile("^models/([^/:]+)(?::([^/:]+))?(/.*)?$");
    private static final Pattern MODEL_ID = ModelNames.ID;
    private static final Pattern RPC_METHOD = Pattern.compile("[A-Za-z]{1,64}");
    private static final List<String> COLLECTIONS = List.of("models", "tunedModels", "tuningJobs", "files",
            "cachedContents", "batches", "operations", "fileSearchStores", "corpora", "auth_tokens", "interactions",
            "agents", "environments", "triggers", "webhooks", "openai");

    private final Map<String, GeminiPath> accepted = new ConcurrentHashMap<>();

    public GeminiPath parse(String rawPath) {
        GeminiPath known = accepted.get(rawPath);
        return known != null ? known : check(rawPath);
    }

    /** Remembers a path that {@link #parse} accepted, once its caller has proved who they are. */
    public void remember(String rawPath, GeminiPath path) {
        if (rawPath.length() <= REMEMBERED_PATH_LENGTH && accepted.size() < REMEMBERED_PATHS) {
            accepted.putIfAbsent(rawPath, path);
        }
    }

    private static GeminiPath check(String rawPath) {
        Matcher surface = SURFACE.matcher(rawPath);
        if (!surface.matches()) {
            throw GatewayException.notFound("The requested URL " + printable(rawPath)
                    + " is not part of the Gemini API. Expected /v1/..., /v1beta/..., /v1alpha/... or /upload/....");
        }
        boolean upload = surface.group(1) != null;
        String version = surface.group(2);
        String resource = surface.group(3);
        requireSafe(resource);
        requireExactCollection(resource);

        Matcher modelPath = MODEL_RESOURCE.matcher(resource);
        if (!modelPath.matches()) {
            Operation operation = upload ? Operation.UPLOAD
                    : resource.equals("files") || resource.startsWith("files/") || resource.startsWith("files:")
                    ? Operation.FILES : Operation.OTHER;
            return new GeminiPath(version, resource, null, null, operation, upload);
        }
        String model = modelPath.group(1);
        String rpcMethod = modelPath.group(2);
        if (!MODEL_ID.matcher(model).matches()) {
            throw GatewayException.invalidArgument("Malformed model name in the request path: model ids are "
                    + "letters, digits, '.', '_' and '-', for example models/gemini-2.5-flash.");
        }
        if (rpcMethod != null && !RPC_METHOD.matcher(rpcMethod).matches()) {
            throw GatewayException.invalidArgument("Malformed method name after the model in the request path.");
        }
        Operation operation = upload ? Operation.UPLOAD : Operation.ofRpcMethod(rpcMethod);
        return new GeminiPath(version, resource, model, rpcMethod, operation, upload);
    }

    /**
     * A collection name in another case ({@code Models/...}) is refused: the allow-lists and surfaces match the exact
     * names, and a spelling they do not recognise must not slip past them to a server that may be lenient.
     */
    private static void requireExactCollection(String resource) {
        String collection = resource.split("[/:]", 2)[0];
        for (String known : COLLECTIONS) {
            if (collection.equalsIgnoreCase(known) && !collection.equals(known)) {
                throw GatewayException.invalidArgument("Malformed request path: '" + printable(collection)
                        + "' must be spelled '" + known + "'.");
            }
        }
    }

    private static void requireSafe(String resource) {
        if (!SAFE_CHARACTERS.matcher(resource).matches()) {
            throw GatewayException.invalidArgument("Malformed request path: it may contain only letters, digits "
                    + "and . _ ~ : / - (no percent-encoding).");
        }
        for (String segment : resource.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw GatewayException.invalidArgument(
                        "Malformed request path: empty, '.' and '..' path segments are not allowed.");
            }
        }
    }

    /** Echoes at most a short, safe prefix of a path the caller sent, never its raw bytes. */
    private static String printable(String rawPath) {
        String shortened = rawPath.length() > 80 ? rawPath.substring(0, 80) + "..." : rawPath;
        return shortened.replaceAll("[^A-Za-z0-9._~:/%-]", "?");
    }
}
