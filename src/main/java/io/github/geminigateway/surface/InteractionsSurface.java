package io.github.geminigateway.surface;

import io.github.geminigateway.error.GatewayException;
import io.github.geminigateway.stream.AnswerScanner;
import io.github.geminigateway.stream.InteractionScanner;
import io.github.geminigateway.stream.InteractionsDialect;
import io.github.geminigateway.stream.StreamDialect;
import io.github.geminigateway.upstream.Deadlines;
import io.github.geminigateway.upstream.RetryMode;
import io.github.geminigateway.upstream.TimeoutProperties;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The Interactions API ({@code /{v}/interactions}) and the agent platform beside it (agents, environments,
 * triggers, webhooks). A create names its {@code model} or {@code agent} in the body, and says there whether it
 * streams, runs in the background or on the flex tier. A create is not idempotent (a stored interaction, an agent
 * run), so only what Google refused is retried; get, cancel and delete are. An agent run, a flex call and a resumed
 * stream ({@code GET ...?stream=true&last_event_id=}) get the long deadlines. Every other write (an agent definition,
 * a trigger, a webhook) is for clients without allow-lists only: its body may make Google run any model.
 */
public final class InteractionsSurface implements ApiSurface {

    private static final String MODEL = "model";
    private static final String AGENT = "agent";
    private static final BodyFields CREATE = BodyFields.of(MODEL, AGENT, "stream", "background", "service_tier",
            "serviceTier");
    private static final Pattern ONE = Pattern.compile("^interactions/[A-Za-z0-9._-]+$");
    private static final Pattern CANCEL = Pattern.compile("^interactions/[A-Za-z0-9._-]+(/|:)cancel$");
    private static final Set<String> AGENT_PLATFORM = Set.of("agents", "environments", "triggers", "webhooks");

    private final TimeoutProperties timeouts;

    public InteractionsSurface(TimeoutProperties timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public boolean serves(GeminiPath path) {
        String collection = collection(path.resource());
        return !path.upload() && (collection.equals("interactions") || AGENT_PLATFORM.contains(collection));
    }

    @Override
    public BodyFields bodyFields(HttpMethod method, GeminiPath path) {
        return isCreate(method, path) ? CREATE : BodyFields.NONE;
    }

    @Override
    public SurfaceCall classify(HttpMethod method, GeminiPath path, String rawQuery, BodyFacts body) {
        String resource = path.resource();
        if (isCreate(method, path)) {
            return create(body);
        }
        if (ONE.matcher(resource).matches()) {
            if (method == HttpMethod.DELETE) {
                return idempotent(Operation.INTERACTION_DELETE, false, timeouts.standard());
            }
            boolean resumed = hasStreamTrue(rawQuery);
            return idempotent(Operation.INTERACTION_GET, resumed, resumed ? timeouts.agentRun() : timeouts.standard());
        }
        if (CANCEL.matcher(resource).matches()) {
            return idempotent(Operation.INTERACTION_CANCEL, false, timeouts.standard());
        }
        Operation operation = AGENT_PLATFORM.contains(collection(resource)) ? Operation.AGENTS : Operation.OTHER;
        boolean read = method == HttpMethod.GET;
        RetryMode retry = read || method == HttpMethod.DELETE ? RetryMode.ALL : RetryMode.REFUSED_ONLY;
        return new SurfaceCall(operation, null, false, List.of(), false, false, false, retry, timeouts.standard(),
                !read);
    }

    private SurfaceCall create(BodyFacts body) {
        String model = ModelNames.fromBody(body.text(MODEL), "models/", MODEL);
        String agent = ModelNames.fromBody(body.text(AGENT), "agents/", AGENT);
        if ((model == null) == (agent == null)) {
            // Exactly one: with neither, the limits and allow-lists would have nothing to hold the call to.
            throw GatewayException.invalidArgument("An interaction names a model or an agent (one of them, as a "
                    + "string).");
        }
        boolean stream = body.isTrue("stream");
        String tier = body.text("service_tier", "serviceTier");
        Deadlines deadlines = body.isTrue("background") ? timeouts.standard()
                : agent != null ? timeouts.agentRun()
                : tier != null && tier.equalsIgnoreCase("flex") ? timeouts.flexTier() : timeouts.standard();
        return new SurfaceCall(stream ? Operation.INTERACTION_STREAM : Operation.INTERACTION,
                agent != null ? agent : model, agent != null, List.of(), stream, false, false, RetryMode.REFUSED_ONLY,
                deadlines, false);
    }

    private static SurfaceCall idempotent(Operation operation, boolean stream, Deadlines deadlines) {
        return new SurfaceCall(operation, null, false, List.of(), stream, false, false, RetryMode.ALL, deadlines,
                false);
    }

    @Override
    public StreamDialect dialect(HttpHeaders callerHeaders) {
        return InteractionsDialect.INSTANCE;
    }

    @Override
    public AnswerScanner answerScanner(Operation operation) {
        return operation == Operation.INTERACTION ? InteractionScanner::scanResource : null;
    }

    private static boolean isCreate(HttpMethod method, GeminiPath path) {
        return method == HttpMethod.POST && path.resource().equals("interactions");
    }

    /** The first path segment, up to a slash or a custom method's colon. */
    private static String collection(String resource) {
        int end = 0;
        while (end < resource.length() && resource.charAt(end) != '/' && resource.charAt(end) != ':') {
            end++;
        }
        return resource.substring(0, end);
    }

    private static boolean hasStreamTrue(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        for (String parameter : rawQuery.split("&")) {
            if (parameter.equals("stream=true")) {
                return true;
            }
        }
        return false;
    }
}
