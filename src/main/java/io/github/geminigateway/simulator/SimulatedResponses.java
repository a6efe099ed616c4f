package io.github.geminigateway.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON bodies the simulator answers with, shaped like Google's: same field names and order, usageMetadata on
 * every stream chunk and cumulative, finishReason only on the last one, and Google's spacing.
 */
final class SimulatedResponses {

    static final List<String> MODELS = List.of("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite",
            "gemini-embedding-001");

    private static final String[] WORDS = ("The sky looks blue because air molecules scatter short blue wavelengths "
            + "of sunlight more strongly than long red ones, an effect called Rayleigh scattering.").split(" ");

    private SimulatedResponses() {
    }

    static int promptTokens(int requestBytes) {
        return Math.max(1, requestBytes / 4);
    }

    static String generate(String model, int promptTokens) {
        int output = WORDS.length;
        return "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + String.join(" ", WORDS)
                + "\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],"
                + usage(promptTokens, output) + ",\"modelVersion\": \"" + model + "\",\"responseId\": \""
                + responseId() + "\"}";
    }

    /** Chunk {@code index} of {@code count}; the text is spread over the chunks and the last one finishes. */
    static String streamChunk(String model, String responseId, int promptTokens, int index, int count) {
        int from = WORDS.length * index / count;
        int to = WORDS.length * (index + 1) / count;
        String text = (index == 0 ? "" : " ") + String.join(" ", Arrays.copyOfRange(WORDS, from, to));
        boolean last = index == count - 1;
        return "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"" + text + "\"}],\"role\": \"model\"}"
                + (last ? ",\"finishReason\": \"STOP\"" : "") + ",\"index\": 0}]," + usage(promptTokens, to)
                + ",\"modelVersion\": \"" + model + "\",\"responseId\": \"" + responseId + "\"}";
    }

    /** A completed Interaction resource, as a unary create or a get answers it. */
    static String interaction(String id, String model, int promptTokens) {
        return "{\"id\": \"" + id + "\",\"status\": \"completed\",\"model\": \"" + model + "\",\"role\": "
                + "\"model\",\"steps\": [{\"type\": \"model_output\",\"content\": [{\"type\": \"text\",\"text\": \""
                + String.join(" ", WORDS) + "\"}]}],"
                + interactionUsage(promptTokens, WORDS.length) + "}";
    }

    /**
     * The events of a streamed interaction, each framed as Google frames them ({@code event:} line, {@code data:}
     * line): created, a step with {@code deltas} text deltas, completed with the usage.
     */
    static List<String> interactionEvents(String id, String model, int promptTokens, int deltas) {
        List<String> events = new ArrayList<>();
        events.add(interactionEvent("interaction.created", id, 0, "\"interaction\": {\"id\": \"" + id
                + "\",\"status\": \"in_progress\",\"model\": \"" + model + "\"}"));
        events.add(interactionEvent("step.start", id, 1, "\"index\": 0,\"step\": {\"type\": \"model_output\"}"));
        for (int i = 0; i < deltas; i++) {
            int from = WORDS.length * i / deltas;
            int to = WORDS.length * (i + 1) / deltas;
            String text = (i == 0 ? "" : " ") + String.join(" ", Arrays.copyOfRange(WORDS, from, to));
            events.add(interactionEvent("step.delta", id, 2 + i, "\"index\": 0,\"delta\": {\"type\": \"text\","
                    + "\"text\": \"" + text + "\"}"));
        }
        events.add(interactionEvent("step.stop", id, 2 + deltas, "\"index\": 0"));
        events.add(interactionEvent("interaction.completed", id, 3 + deltas, "\"interaction\": {\"id\": \"" + id
                + "\",\"status\": \"completed\",\"model\": \"" + model + "\"," + interactionUsage(promptTokens,
                WORDS.length) + "}"));
        return events;
    }

    private static String interactionEvent(String type, String id, int index, String fields) {
        return "event: " + type + "\ndata: {\"event_type\": \"" + type + "\",\"event_id\": \"" + id + "-" + index
                + "\"," + fields + "}\n\n";
    }

    private static String interactionUsage(int input, int output) {
        return "\"usage\": {\"total_input_tokens\": " + input + ",\"total_output_tokens\": " + output
                + ",\"total_thought_tokens\": 0,\"total_cached_tokens\": 0,\"total_tokens\": " + (input + output) + "}";
    }

    static String countTokens(int promptTokens) {
        return "{\"totalTokens\": " + promptTokens + ",\"promptTokensDetails\": [{\"modality\": \"TEXT\","
                + "\"tokenCount\": " + promptTokens + "}]}";
    }

    static String[] words() {
        return WORDS.clone();
    }

    static String embedding() {
        return "{\"values\": " + embeddingValues() + "}";
    }

    static String embeddingValues() {
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            values.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", Math.sin(i + 1.0) / 10));
        }
        return values.append("]").toString();
    }

    static String model(String id) {
        return "{\"name\": \"models/" + id + "\",\"version\": \"001\",\"displayName\": \"" + id + " (simulated)\","
                + "\"inputTokenLimit\": 1048576,\"outputTokenLimit\": 65536,\"supportedGenerationMethods\": "
                + "[\"generateContent\",\"countTokens\",\"embedContent\",\"batchEmbedContents\"]}";
    }

    static String file(String id, long size, String mimeType, String baseUrl) {
        return "{\"name\": \"files/" + id + "\",\"mimeType\": \"" + mimeType + "\",\"sizeBytes\": \"" + size
                + "\",\"uri\": \"" + baseUrl + "/v1beta/files/" + id + "\",\"state\": \"ACTIVE\"}";
    }

    static String error(int code, String status, String message) {
        return "{\n  \"error\": {\n    \"code\": " + code + ",\n    \"message\": \"" + message
                + "\",\n    \"status\": \"" + status + "\"\n  }\n}\n";
    }

    static String invalidKey() {
        return "{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"API key not valid. Please pass a valid API "
                + "key.\",\n    \"status\": \"INVALID_ARGUMENT\",\n    \"details\": [\n      {\n        \"@type\": "
                + "\"type.googleapis.com/google.rpc.ErrorInfo\",\n        \"reason\": \"API_KEY_INVALID\",\n"
                + "        \"domain\": \"googleapis.com\"\n      }\n    ]\n  }\n}\n";
    }

    static String responseId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 23);
    }

    private static String usage(int prompt, int output) {
        return "\"usageMetadata\": {\"promptTokenCount\": " + prompt + ",\"candidatesTokenCount\": " + output
                + ",\"totalTokenCount\": " + (prompt + output) + ",\"promptTokensDetails\": [{\"modality\": "
                + "\"TEXT\",\"tokenCount\": " + prompt + "}]}";
    }
}
