package io.github.geminigateway.stream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorSummary;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Interactions stream: each event an {@code event: <type>} line, perhaps an {@code id:} line, and a
 * {@code data: {"event_type":...,"event_id":...}} line, relayed as received. It ends cleanly after
 * {@code interaction.completed}, or a {@code interaction.status_update} to a status that ends the stream. A broken
 * stream ends in the dialect's own error event, {@code event: error} with
 * {@code {"event_type":"error","error":{"code":"<STATUS>","message":...}}} (the code is a string), which the SDKs'
 * stream parsers surface to the caller.
 */
public final class InteractionsDialect implements StreamDialect {

    public static final InteractionsDialect INSTANCE = new InteractionsDialect();

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private InteractionsDialect() {
    }

    @Override
    public Verdict read(byte[] event, ResponseFacts facts) {
        byte[] data = SseData.of(event);
        if (data == null) {
            return Verdict.PASS;
        }
        if (Arrays.equals(data, DONE)) {
            return Verdict.DONE;
        }
        return InteractionScanner.scanEvent(data, 0, data.length, facts);
    }

    @Override
    public byte[] terminalError(TruncationReason reason, String requestId) {
        String message = reason == TruncationReason.NO_FINISH_REASON
                ? "The upstream Gemini API ended the interaction stream before interaction.completed: the answer is "
                        + "incomplete. Resume it with last_event_id."
                : reason.message();
        return event(reason.status().rpcName(), message, requestId);
    }

    /** Google's own error, in whichever shape it came (an Interactions error event or a google.rpc.Status). */
    @Override
    public byte[] upstreamError(byte[] event, UpstreamErrorReader errorReader, String requestId) {
        byte[] data = SseData.of(event);
        ErrorSummary summary = errorReader.summarize(data == null ? new byte[0] : data);
        String code = summary.code() != null ? summary.code() : ErrorStatus.INTERNAL.rpcName();
        String message = summary.message() != null ? summary.message()
                : "The upstream Gemini API failed in the middle of the stream.";
        return event(code, message, requestId);
    }

    private static byte[] event(String code, String message, String requestId) {
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        String text = message + " (request id " + requestId + ")";
        return ("event: error\ndata: {\"event_type\":\"error\",\"error\":{\"code\":\""
                + new String(json.quoteAsString(code)) + "\",\"message\":\"" + new String(json.quoteAsString(text))
                + "\"}}\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
