package io.github.geminigateway.simulator;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stand-in for the Gemini API that answers generate, stream, countTokens, embed, models, resumable uploads and
 * Interactions (create, streamed in Google's Interactions dialect or not, get, cancel, delete) with Google-shaped
 * JSON, the OpenAI-compatible route ({@link OpenAiRoutes}) and a Live API session ({@link LiveRoutes}). It backs the demo profile (so the gateway runs with no Google key) and the benchmarks (run on
 * its own with {@code java -jar gemini-gateway.jar simulator}). It is a bare Reactor Netty server, not a Spring
 * application, so that as a benchmark upstream it costs as little as possible.
 */
public final class GeminiSimulator implements AutoCloseable {

    private static final Pattern API = Pattern.compile("^/(v1|v1beta|v1alpha)/(.*)$");
    private static final Pattern MODEL_CALL = Pattern.compile("^models/([A-Za-z0-9._-]+):([A-Za-z]+)$");
    private static final Pattern MODEL_GET = Pattern.compile("^models/([A-Za-z0-9._-]+)$");
    private static final Pattern FILE = Pattern.compile("^files/([A-Za-z0-9-]+)$");
    private static final Pattern INTERACTION = Pattern.compile("^interactions/([A-Za-z0-9_-]+)$");
    private static final Pattern INTERACTION_CANCEL = Pattern.compile("^interactions/([A-Za-z0-9_-]+)(?:/|:)cancel$");
    private static final Pattern BODY_MODEL = Pattern.compile("\"model\"\\s*:\\s*\"(?:models/)?([A-Za-z0-9._-]+)\"");
    private static final Pattern BODY_STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

    private static final int MAX_STREAMS_PER_CONNECTION = 100;

    private final SimulatorSettings settings;
    private final DisposableServer server;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> uploads = new ConcurrentHashMap<>();
    private final Map<String, String> interactions = new ConcurrentHashMap<>();
    private final OpenAiRoutes openAi;
    private final LiveRoutes live = new LiveRoutes();

    private GeminiSimulator(SimulatorSettings settings) {
        this.settings = settings;
        this.openAi = new OpenAiRoutes(settings);
        this.server = HttpServer.create().host("127.0.0.1").port(settings.port())
                // HTTP/1.1, and prior-knowledge h2c at most 100 streams a connection, as Google allows
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .http2Settings(h2 -> h2.maxConcurrentStreams(MAX_STREAMS_PER_CONNECTION))
                .handle(this::handle).bindNow();
    }

    public static GeminiSimulator start(SimulatorSettings settings) {
        return new GeminiSimulator(settings);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String key = request.requestHeaders().get("x-goog-api-key");
        if (key != null && request.requestHeaders().contains("Authorization")) {
            // As Google's OpenAI-compatible route has answered a client that sent its key both ways.
            return json(response, 400, SimulatedResponses.error(400, "INVALID_ARGUMENT",
                    "Multiple authentication credentials received. Please pass only one."));
        }
        if (key == null) {
            return json(response, 403, SimulatedResponses.error(403, "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without established identity)."));
        }
        if (settings.apiKey() != null && !settings.apiKey().equals(key)) {
            return json(response, 400, SimulatedResponses.invalidKey());
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (LiveRoutes.PATH.matcher(path).matches()) {
            return live.route(response);
        }
        if (path.startsWith("/upload/")) {
            return upload(request, response, uri);
        }
        Matcher api = API.matcher(path);
        if (!api.matches()) {
            return notFound(response, path);
        }
        String resource = api.group(2);
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .flatMap(body -> Mono.from(route(request, response, uri, resource, body)));
    }

    private Publisher<Void> route(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder uri,
                                  String resource, byte[] body) {
        HttpMethod method = request.method();
        if (resource.startsWith("openai/")) {
            return openAi.route(method, response, resource, body);
        }
        Matcher call = MODEL_CALL.matcher(resource);
        if (method == HttpMethod.POST && call.matches()) {
            return modelCall(response, uri, call.group(1), call.group(2), body);
        }
        Matcher get = MODEL_GET.matcher(resource);
        if (method == HttpMethod.GET && get.matches() && SimulatedResponses.MODELS.contains(get.group(1))) {
            return json(response, 200, SimulatedResponses.model(get.group(1)));
        }
        if (method == HttpMethod.GET && resource.equals("models")) {
            return json(response, 200, "{\"models\": [" + String.join(",",
                    SimulatedResponses.MODELS.stream().map(SimulatedResponses::model).toList()) + "]}");
        }
        if (resource.equals("interactions") || resource.startsWith("interactions/")) {
            return interactions(request, response, uri, resource, body);
        }
        if (resource.equals("files") && method == HttpMethod.GET) {
            return json(response, 200, "{\"files\": [" + String.join(",", files.values()) + "]}");
        }
        Matcher file = FILE.matcher(resource);
        if (file.matches() && files.containsKey(file.group(1))) {
            if (method == HttpMethod.DELETE) {
                files.remove(file.group(1));
                return json(response, 200, "{}");
            }
            return json(response, 200, files.get(file.group(1)));
        }
        return notFound(response, resource);
    }

    private Publisher<Void> modelCall(HttpServerResponse response, QueryStringDecoder uri, String model,
                                      String method, byte[] body) {
        if (!SimulatedResponses.MODELS.contains(model)) {
            return json(response, 404, SimulatedResponses.error(404, "NOT_FOUND", "models/" + model
                    + " is not found for API version v1beta, or is not supported for " + method + "."));
        }
        int promptTokens = SimulatedResponses.promptTokens(body.length);
        return switch (method) {
            case "generateContent" -> delayed(json(response, 200, SimulatedResponses.generate(model, promptTokens)));
            case "streamGenerateContent" -> stream(response, model, promptTokens,
                    "sse".equals(first(uri, "alt")));
            case "countTokens" -> json(response, 200, SimulatedResponses.countTokens(promptTokens));
            case "embedContent" -> json(response, 200, "{\"embedding\": " + SimulatedResponses.embedding() + "}");
            case "batchEmbedContents" -> json(response, 200, "{\"embeddings\": [" + SimulatedResponses.embedding()
                    + "]}");
            default -> notFound(response, method);
        };
    }

    private Publisher<Void> stream(HttpServerResponse response, String model, int promptTokens, boolean sse) {
        String responseId = SimulatedResponses.responseId();
        int count = settings.streamChunks();
        Flux<String> chunks = Flux.range(0, count)
                .delayElements(settings.chunkDelay().isZero() ? Duration.ofNanos(1) : settings.chunkDelay())
                .map(i -> SimulatedResponses.streamChunk(model, responseId, promptTokens, i, count));
        if (sse) {
            return response.status(200).header("Content-Type", "text/event-stream")
                    .header("Content-Disposition", "attachment")
                    .sendString(chunks.map(chunk -> "data: " + chunk + "\r\n\r\n"), StandardCharsets.UTF_8);
        }
        Flux<String> array = chunks.index().map(indexed -> (indexed.getT1() == 0 ? "[" : ",\r\n") + indexed.getT2())
                .concatWith(Mono.just("]"));
        return response.status(200).header("Content-Type", "application/json; charset=UTF-8")
                .sendString(array, StandardCharsets.UTF_8);
    }

    /** Interactions: create (unary or streamed), get (or a stream resumed), cancel and delete. */
    private Publisher<Void> interactions(HttpServerRequest request, HttpServerResponse response,
                                         QueryStringDecoder uri, String resource, byte[] body) {
        HttpMethod method = request.method();
        if (method == HttpMethod.POST && resource.equals("interactions")) {
            String text = new String(body, StandardCharsets.UTF_8);
            Matcher model = BODY_MODEL.matcher(text);
            if (!model.find() || !SimulatedResponses.MODELS.contains(model.group(1))) {
                return json(response, 404, SimulatedResponses.error(404, "NOT_FOUND", "The model in the "
                        + "interaction is not found."));
            }
            String id = "sim-" + SimulatedResponses.responseId().toLowerCase();
            int promptTokens = SimulatedResponses.promptTokens(body.length);
            interactions.put(id, SimulatedResponses.interaction(id, model.group(1), promptTokens));
            if (BODY_STREAM.matcher(text).find()) {
                return interactionStream(response, SimulatedResponses.interactionEvents(id, model.group(1),
                        promptTokens, settings.streamChunks()));
            }
            return delayed(json(response, 200, interactions.get(id)));
        }
        Matcher cancel = INTERACTION_CANCEL.matcher(resource);
        if (method == HttpMethod.POST && cancel.matches() && interactions.containsKey(cancel.group(1))) {
            return json(response, 200, interactions.get(cancel.group(1)));
        }
        Matcher one = INTERACTION.matcher(resource);
        if (!one.matches() || !interactions.containsKey(one.group(1))) {
            return notFound(response, resource);
        }
        if (method == HttpMethod.DELETE) {
            interactions.remove(one.group(1));
            return json(response, 200, "{}");
        }
        if ("true".equals(first(uri, "stream"))) {
            String model = interactions.get(one.group(1)).replaceAll(".*\"model\": \"([^\"]*)\".*", "$1");
            List<String> events = SimulatedResponses.interactionEvents(one.group(1), model, 1, 1);
            return interactionStream(response, events.subList(events.size() - 1, events.size()));
        }
        return json(response, 200, interactions.get(one.group(1)));
    }

    private Publisher<Void> interactionStream(HttpServerResponse response, List<String> events) {
        Flux<String> paced = Flux.fromIterable(events)
                .delayElements(settings.chunkDelay().isZero() ? Duration.ofNanos(1) : settings.chunkDelay());
        return response.status(200).header("Content-Type", "text/event-stream").sendHeaders()
                .sendString(paced, StandardCharsets.UTF_8);
    }

    private Publisher<Void> upload(HttpServerRequest request, HttpServerResponse response, QueryStringDecoder uri) {
        String command = String.valueOf(request.requestHeaders().get("x-goog-upload-command"));
        String uploadId = first(uri, "upload_id");
        if (uploadId == null && command.contains("start")) {
            String id = SimulatedResponses.responseId().toLowerCase();
            uploads.put(id, new AtomicLong());
            String mime = String.valueOf(request.requestHeaders().get("x-goog-upload-header-content-type"));
            files.put(id, SimulatedResponses.file(id, 0, mime, baseUrl()));
            return request.receive().then(Mono.defer(() -> Mono.from(response.status(200)
                    .header("X-Goog-Upload-URL", baseUrl() + "/upload/v1beta/files?upload_id=" + id
                            + "&upload_protocol=resumable")
                    .header("X-Goog-Upload-Status", "active").send())));
        }
        AtomicLong received = uploadId == null ? null : uploads.get(uploadId);
        if (received == null) {
            return json(response, 404, SimulatedResponses.error(404, "NOT_FOUND", "No such upload session."));
        }
        return request.receive().doOnNext(buffer -> received.addAndGet(buffer.readableBytes())).then(
                Mono.defer(() -> {
                    if (!command.contains("finalize")) {
                        return Mono.from(response.status(200).header("X-Goog-Upload-Status", "active").send());
                    }
                    String mime = files.get(uploadId).replaceAll(".*\"mimeType\": \"([^\"]*)\".*", "$1");
                    String file = SimulatedResponses.file(uploadId, received.get(), mime, baseUrl());
                    files.put(uploadId, file);
                    response.header("X-Goog-Upload-Status", "final");
                    return Mono.from(json(response, 200, "{\"file\": " + file + "}"));
                }));
    }

    private <T> Publisher<T> delayed(Publisher<T> answer) {
        return settings.latency().isZero() ? answer : Mono.delay(settings.latency()).then(Mono.from(answer));
    }

    private static Publisher<Void> notFound(HttpServerResponse response, String what) {
        return json(response, 404, SimulatedResponses.error(404, "NOT_FOUND",
                "Requested entity was not found: " + what.replaceAll("[^A-Za-z0-9._/:-]", "")));
    }

    private static Publisher<Void> json(HttpServerResponse response, int status, String body) {
        return response.status(status).header("Content-Type", "application/json; charset=UTF-8")
                .sendString(Mono.just(body), StandardCharsets.UTF_8);
    }

    private static String first(QueryStringDecoder uri, String name) {
        var values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
