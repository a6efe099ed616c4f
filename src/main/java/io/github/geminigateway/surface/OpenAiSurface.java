package io.github.geminigateway.surface;

import io.github.geminigateway.error.ErrorBodyShape;
import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.stream.AnswerScanner;
import io.github.geminigateway.stream.OpenAiDialect;
import io.github.geminigateway.stream.OpenAiScanner;
import io.github.geminigateway.stream.StreamDialect;
import io.github.geminigateway.upstream.Deadlines;
import io.github.geminigateway.upstream.RetryMode;
import io.github.geminigateway.upstream.TimeoutProperties;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.MultiValueMap;

/**
 * Google's OpenAI-compatible route, {@code /v1beta/openai/...}, for callers of the OpenAI SDKs. They send the key
 * as {@code Authorization: Bearer}, name the model in the body ({@code "model": "gemini-3.6-flash"}, with or without
 * {@code models/}), and parse errors in OpenAI's shape. Chat completions and image generations are not stored, so
 * they are retried like generate calls; a batch create is not idempotent, and its models sit in a JSONL file the
 * gateway does not read, so it is for clients without allow-lists, like every other write on this route.
 *
 * <p>Google documents the route under {@code v1beta} only; another version is a 404 that says where it lives.
 */
public final class OpenAiSurface implements ApiSurface {

    private static final String PREFIX = "openai/";
    private static final String MODEL = "model";
    private static final BodyFields GENERATE = BodyFields.of(MODEL, "stream", "service_tier");
    private static final BodyFields MODEL_ONLY = BodyFields.of(MODEL);
    private static final Pattern MODEL_GET = Pattern.compile("^openai/models/(.+)$");
    private static final Pattern BATCH_CANCEL = Pattern.compile("^openai/batches/.+/cancel$");
    private static final String BEARER = "Bearer ";

    private final TimeoutProperties timeouts;

    public OpenAiSurface(TimeoutProperties timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public boolean serves(GeminiPath path) {
        return !path.upload() && path.resource().startsWith(PREFIX);
    }

    /** {@code Authorization: Bearer <key>}, as every OpenAI SDK sends it; else {@code x-goog-api-key}. */
    @Override
    public String presentedKey(HttpHeaders headers, MultiValueMap<String, String> query) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length());
        }
        return headers.getFirst("x-goog-api-key");
    }

    @Override
    public String keyLocation() {
        return "Authorization: Bearer <key> (the OpenAI SDKs' api_key)";
    }

    @Override
    public ErrorBodyShape errorShape() {
        return ErrorBodyShape.OPENAI;
    }

    @Override
    public BodyFields bodyFields(HttpMethod method, GeminiPath path) {
        if (method != HttpMethod.POST) {
            return BodyFields.NONE;
        }
        return switch (path.resource()) {
            case "openai/chat/completions" -> GENERATE;
            case "openai/embeddings", "openai/images/generations" -> MODEL_ONLY;
            default -> BodyFields.NONE;
        };
    }

    @Override
    public SurfaceCall classify(HttpMethod method, GeminiPath path, String rawQuery, BodyFacts body) {
        if (!path.version().equals("v1beta")) {
            throw GatewayException.notFound("Google serves the OpenAI-compatible API under /v1beta/openai/ only: "
                    + "set the OpenAI SDK's base URL to <gateway>/v1beta/openai/.");
        }
        String resource = path.resource();
        if (method == HttpMethod.POST) {
            switch (resource) {
                case "openai/chat/completions" -> {
                    boolean stream = body.isTrue("stream");
                    return generation(stream ? Operation.CHAT_STREAM : Operation.CHAT, requiredModel(body, "A chat "
                            + "completion"), stream, deadlines(body.text("service_tier")));
                }
                case "openai/embeddings" -> {
                    return generation(Operation.EMBED, requiredModel(body, "An embeddings request"), false,
                            timeouts.standard());
                }
                case "openai/images/generations" -> {
                    // The OpenAI API lets an image request leave its model to the server: only an open client may.
                    String model = ModelNames.fromBody(body.text(MODEL), "models/", MODEL);
                    return new SurfaceCall(Operation.IMAGES, model, false, List.of(), false, false, false,
                            RetryMode.ALL, timeouts.standard(), model == null);
                }
                default -> {
                    // A batch cancel may be repeated; a batch create (its models in a JSONL file) and every other
                    // write may not, and only a client without allow-lists may make them.
                    boolean cancel = BATCH_CANCEL.matcher(resource).matches();
                    return new SurfaceCall(Operation.OTHER, null, false, List.of(), false, false, false,
                            cancel ? RetryMode.ALL : RetryMode.REFUSED_ONLY, timeouts.standard(), !cancel);
                }
            }
        }
        Matcher modelGet = MODEL_GET.matcher(resource);
        String model = method == HttpMethod.GET && modelGet.matches() ? pathModel(modelGet.group(1)) : null;
        boolean read = method == HttpMethod.GET;
        return new SurfaceCall(Operation.OTHER, model, false, List.of(), false, false, false,
                read ? RetryMode.ALL : RetryMode.REFUSED_ONLY, timeouts.standard(), !read);
    }

    private SurfaceCall generation(Operation operation, String model, boolean stream, Deadlines deadlines) {
        return new SurfaceCall(operation, model, false, List.of(), stream, false, false, RetryMode.ALL, deadlines,
                false);
    }

    private Deadlines deadlines(String serviceTier) {
        return serviceTier != null && serviceTier.toLowerCase(Locale.ROOT).contains("flex") ? timeouts.flexTier()
                : timeouts.standard();
    }

    /** The id of {@code models/{id}} (Google lists its models as {@code models/gemini-...}, so either form). */
    private static String pathModel(String segment) {
        String id = segment.startsWith("models/") ? segment.substring("models/".length()) : segment;
        if (!ModelNames.ID.matcher(id).matches()) {
            throw GatewayException.invalidArgument("Malformed model id in the request path: model ids are letters, "
                    + "digits, '.', '_' and '-', for example models/gemini-2.5-flash.");
        }
        return id;
    }

    private static String requiredModel(BodyFacts body, String what) {
        String model = ModelNames.fromBody(body.text(MODEL), "models/", MODEL);
        if (model == null) {
            throw GatewayException.invalidArgument(what + " names its model (a string), for example \"model\": "
                    + "\"gemini-2.5-flash\".");
        }
        return model;
    }

    /** A new dialect per stream: it keeps track of the stream's choices. */
    @Override
    public StreamDialect dialect(HttpHeaders callerHeaders) {
        return new OpenAiDialect();
    }

    @Override
    public AnswerScanner answerScanner(Operation operation) {
        return operation == Operation.CHAT || operation == Operation.EMBED || operation == Operation.IMAGES
                ? OpenAiScanner::scanAnswer : null;
    }
}
