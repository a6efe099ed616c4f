package io.github.geminigateway.simulator;

import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The simulator's OpenAI-compatible route ({@code /v1beta/openai/...}), shaped like Google's: chat completions
 * (unary, or streamed as {@code chat.completion.chunk} events with {@code finish_reason} on the last choice chunk,
 * a usage chunk when {@code stream_options.include_usage} asks for it, then {@code data: [DONE]}), embeddings,
 * image generations, models and batches, and errors as Google sends them on this route, a one-element array.
 */
final class OpenAiRoutes {

    private static final Pattern BODY_MODEL = Pattern.compile("\"model\"\\s*:\\s*\"(?:models/)?([A-Za-z0-9._-]+)\"");
    private static final Pattern BODY_STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final Pattern INCLUDE_USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");
    private static final Pattern MODEL = Pattern.compile("^openai/models/(?:models/)?([A-Za-z0-9._-]+)$");
    private static final Pattern BATCH = Pattern.compile("^openai/batches/(batches/[A-Za-z0-9-]+)(/cancel)?$");
    /** A 1x1 transparent PNG. */
    private static final String PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private final SimulatorSettings settings;
    private final Map<String, String> batches = new ConcurrentHashMap<>();

    OpenAiRoutes(SimulatorSettings settings) {
        this.settings = settings;
    }

    Publisher<Void> route(HttpMethod method, HttpServerResponse response, String resource, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int promptTokens = SimulatedResponses.promptTokens(body.length);
        if (method == HttpMethod.GET && resource.equals("openai/models")) {
            return json(response, 200, "{\"object\": \"list\",\"data\": [" + String.join(",",
                    SimulatedResponses.MODELS.stream().map(OpenAiRoutes::model).toList()) + "]}");
        }
        Matcher modelGet = MODEL.matcher(resource);
        if (method == HttpMethod.GET && modelGet.matches()) {
            return SimulatedResponses.MODELS.contains(modelGet.group(1))
                    ? json(response, 200, model(modelGet.group(1)))
                    : error(response, 404, "NOT_FOUND", "Model not found: " + modelGet.group(1));
        }
        if (method == HttpMethod.POST && resource.equals("openai/batches")) {
            String id = "batches/sim-" + SimulatedResponses.responseId().toLowerCase();
            batches.put(id, batch(id, "validating"));
            return json(response, 200, batches.get(id));
        }
        if (method == HttpMethod.GET && resource.equals("openai/batches")) {
            return json(response, 200, "{\"object\": \"list\",\"data\": [" + String.join(",", batches.values())
                    + "],\"has_more\": false}");
        }
        Matcher batch = BATCH.matcher(resource);
        if (batch.matches() && batches.containsKey(batch.group(1))) {
            if (method == HttpMethod.POST && batch.group(2) != null) {
                batches.put(batch.group(1), batch(batch.group(1), "cancelling"));
            }
            return json(response, 200, batches.get(batch.group(1)));
        }
        if (method != HttpMethod.POST) {
            return error(response, 404, "NOT_FOUND", "Not found: " + resource.replaceAll("[^A-Za-z0-9._/-]", ""));
        }
        Matcher model = BODY_MODEL.matcher(text);
        if (!model.find() || !SimulatedResponses.MODELS.contains(model.group(1))) {
            return error(response, 404, "NOT_FOUND", "The model is not found, or is not supported for this call.");
        }
        return switch (resource) {
            case "openai/chat/completions" -> BODY_STREAM.matcher(text).find()
                    ? stream(response, model.group(1), promptTokens, INCLUDE_USAGE.matcher(text).find())
                    : delayed(json(response, 200, completion(model.group(1), promptTokens)));
            case "openai/embeddings" -> json(response, 200, "{\"object\": \"list\",\"data\": [{\"object\": "
                    + "\"embedding\",\"index\": 0,\"embedding\": " + SimulatedResponses.embeddingValues()
                    + "}],\"model\": \"" + model.group(1) + "\",\"usage\": {\"prompt_tokens\": " + promptTokens
                    + ",\"total_tokens\": " + promptTokens + "}}");
            case "openai/images/generations" -> delayed(json(response, 200, "{\"created\": "
                    + System.currentTimeMillis() / 1000 + ",\"data\": [{\"b64_json\": \"" + PIXEL + "\"}]}"));
            default -> error(response, 404, "NOT_FOUND", "Not found: " + resource.replaceAll("[^A-Za-z0-9._/-]", ""));
        };
    }

    private Publisher<Void> stream(HttpServerResponse response, String model, int promptTokens, boolean usage) {
        String id = "chatcmpl-" + SimulatedResponses.responseId();
        int count = settings.streamChunks();
        String[] words = SimulatedResponses.words();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = words.length * i / count;
            int to = words.length * (i + 1) / count;
            String text = (i == 0 ? "" : " ") + String.join(" ", Arrays.copyOfRange(words, from, to));
            String delta = (i == 0 ? "\"role\": \"assistant\"," : "") + "\"content\": \"" + text + "\"";
            String finish = i == count - 1 ? "\"stop\"" : "null";
            events.add(chunk(id, model, "[{\"index\": 0,\"delta\": {" + delta + "},\"finish_reason\": " + finish
                    + "}]", null));
        }
        if (usage) {
            events.add(chunk(id, model, "[]", usage(promptTokens, words.length)));
        }
        events.add("[DONE]");
        Flux<String> paced = Flux.fromIterable(events)
                .delayElements(settings.chunkDelay().isZero() ? Duration.ofNanos(1) : settings.chunkDelay())
                .map(event -> "data: " + event + "\n\n");
        return response.status(200).header("Content-Type", "text/event-stream").sendHeaders()
                .sendString(paced, StandardCharsets.UTF_8);
    }

    private static String chunk(String id, String model, String choices, String usage) {
        return "{\"id\": \"" + id + "\",\"object\": \"chat.completion.chunk\",\"created\": "
                + System.currentTimeMillis() / 1000 + ",\"model\": \"" + model + "\",\"choices\": " + choices
                + (usage == null ? "" : ",\"usage\": " + usage) + "}";
    }

    private static String completion(String model, int promptTokens) {
        String[] words = SimulatedResponses.words();
        return "{\"id\": \"chatcmpl-" + SimulatedResponses.responseId() + "\",\"object\": \"chat.completion\","
                + "\"created\": " + System.currentTimeMillis() / 1000 + ",\"model\": \"" + model + "\",\"choices\": "
                + "[{\"index\": 0,\"message\": {\"role\": \"assistant\",\"content\": \"" + String.join(" ", words)
                + "\"},\"finish_reason\": \"stop\"}],\"usage\": " + usage(promptTokens, words.length) + "}";
    }

    private static String usage(int prompt, int completion) {
        return "{\"prompt_tokens\": " + prompt + ",\"completion_tokens\": " + completion + ",\"total_tokens\": "
                + (prompt + completion) + "}";
    }

    private static String model(String id) {
        return "{\"id\": \"models/" + id + "\",\"object\": \"model\",\"created\": 0,\"owned_by\": \"google\"}";
    }

    private static String batch(String id, String status) {
        return "{\"id\": \"" + id + "\",\"object\": \"batch\",\"endpoint\": \"/v1/chat/completions\","
                + "\"status\": \"" + status + "\",\"completion_window\": \"24h\"}";
    }

    /** Google's error on this route: the google.rpc.Status shape, inside a one-element array. */
    static Publisher<Void> error(HttpServerResponse response, int code, String status, String message) {
        return json(response, code, "[" + SimulatedResponses.error(code, status, message).strip() + "]");
    }

    private <T> Publisher<T> delayed(Publisher<T> answer) {
        return settings.latency().isZero() ? answer : Mono.delay(settings.latency()).then(Mono.from(answer));
    }

    private static Publisher<Void> json(HttpServerResponse response, int status, String body) {
        return response.status(status).header("Content-Type", "application/json; charset=UTF-8")
                .sendString(Mono.just(body), StandardCharsets.UTF_8);
    }
}
