package io.github.geminigateway.surface;

import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.stream.AnswerScanner;
import io.github.geminigateway.stream.GenerateContentDialect;
import io.github.geminigateway.stream.GenerateResponseScanner;
import io.github.geminigateway.stream.StreamDialect;
import io.github.geminigateway.stream.StreamErrorFraming;
import io.github.geminigateway.upstream.RetryMode;
import io.github.geminigateway.upstream.TimeoutProperties;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The generateContent family: {@code models/{model}:method} calls, with the model in the path, and the resources
 * beside them (files, uploads, cachedContents, batches, tuned models...). Two creates name their model in the body,
 * so it is read there: {@code cachedContents} ({@code model}) and batch creates ({@code batch.model}, beside the
 * path's). The flex service tier gets the long deadlines. Writes whose bodies could name any model out of the
 * gateway's sight (ephemeral tokens, tuning, uploads to anything but files) are for clients without allow-lists.
 */
public final class GenerateContentSurface implements ApiSurface {

    private static final String MODEL = "model";
    private static final String BATCH_MODEL = "batch.model";
    private static final BodyFields CACHE_CREATE = BodyFields.of(MODEL);
    private static final BodyFields BATCH_CREATE = BodyFields.of(BATCH_MODEL);
    private static final BodyFields GENERATE = BodyFields.of("serviceTier", "service_tier",
            "generationConfig.serviceTier");
    /** Writes whose bodies can make Google run a model the gateway does not see: open clients only. */
    private static final Set<String> UNGOVERNED_WRITES = Set.of("auth_tokens", "tunedModels", "tuningJobs");

    private final TimeoutProperties timeouts;

    public GenerateContentSurface(TimeoutProperties timeouts) {
        this.timeouts = timeouts;
    }

    /** The default surface: every checked path no other surface claims. */
    @Override
    public boolean serves(GeminiPath path) {
        return true;
    }

    @Override
    public BodyFields bodyFields(HttpMethod method, GeminiPath path) {
        if (path.upload() || method != HttpMethod.POST) {
            return BodyFields.NONE;
        }
        if (path.resource().equals("cachedContents")) {
            return CACHE_CREATE;
        }
        if (isBatchCreate(path)) {
            return BATCH_CREATE;
        }
        Operation operation = path.operation();
        return operation == Operation.GENERATE || operation == Operation.STREAM ? GENERATE : BodyFields.NONE;
    }

    @Override
    public SurfaceCall classify(HttpMethod method, GeminiPath path, String rawQuery, BodyFacts body) {
        Operation operation = path.operation();
        String model = path.model();
        List<String> alsoNamed = List.of();
        if (method == HttpMethod.POST && path.resource().equals("cachedContents") && !path.upload()) {
            model = ModelNames.fromBody(body.text(MODEL), "models/", MODEL);
            if (model == null) {
                throw GatewayException.invalidArgument("A cachedContents create names its model (a string).");
            }
        } else if (isBatchCreate(path)) {
            String batchModel = ModelNames.fromBody(body.text(BATCH_MODEL), "models/", BATCH_MODEL);
            alsoNamed = batchModel == null || batchModel.equals(model) ? List.of() : List.of(batchModel);
        }
        String tier = body.text("serviceTier", "service_tier");
        tier = tier != null ? tier : body.text("generationConfig.serviceTier");
        boolean flex = tier != null && tier.toLowerCase(Locale.ROOT).contains("flex");
        boolean stream = operation == Operation.STREAM;
        return new SurfaceCall(operation, model, false, alsoNamed, stream, stream, model != null
                && model.equals(path.model()), RetryMode.ALL, flex ? timeouts.flexTier() : timeouts.standard(),
                method != HttpMethod.GET && ungoverned(path));
    }

    /** A write the allow-lists cannot judge: minting tokens, tuning, or an upload to anything but a file store. */
    private static boolean ungoverned(GeminiPath path) {
        String collection = path.resource().split("[/:]", 2)[0];
        if (path.upload()) {
            return !collection.equals("files") && !collection.equals("fileSearchStores");
        }
        return UNGOVERNED_WRITES.contains(collection);
    }

    @Override
    public StreamDialect dialect(HttpHeaders callerHeaders) {
        return new GenerateContentDialect(StreamErrorFraming.forApiClient(callerHeaders.getFirst("x-goog-api-client")));
    }

    @Override
    public AnswerScanner answerScanner(Operation operation) {
        return operation == Operation.GENERATE ? GenerateResponseScanner::scan : null;
    }

    private static boolean isBatchCreate(GeminiPath path) {
        return "batchGenerateContent".equals(path.rpcMethod()) || "asyncBatchEmbedContent".equals(path.rpcMethod());
    }
}
