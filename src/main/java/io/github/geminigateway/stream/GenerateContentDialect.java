package io.github.geminigateway.stream;

import io.github.geminigateway.error.GeminiErrorBody;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.util.Arrays;
import java.util.List;

/**
 * The generateContent stream: one {@code data: <GenerateContentResponse>} event per chunk, finished by an event with
 * a finishReason or a prompt block, no sentinel. A broken stream ends in a {@code {"error":...}} event framed for the
 * caller's SDK ({@link StreamErrorFraming}). Google's own mid-stream error may come without the {@code data:} prefix.
 */
public final class GenerateContentDialect implements StreamDialect {

    private final StreamErrorFraming framing;

    public GenerateContentDialect(StreamErrorFraming framing) {
        this.framing = framing;
    }

    @Override
    public Verdict read(byte[] event, ResponseFacts facts) {
        int start = payloadStart(event);
        int end = payloadEnd(event);
        if (start >= end) {
            return Verdict.PASS;
        }
        return switch (GenerateResponseScanner.scan(event, start, end - start, facts)) {
            case CHUNK -> Verdict.CHUNK;
            case FINAL_CHUNK -> Verdict.FINAL;
            case ERROR -> Verdict.ERROR;
            case MALFORMED -> Verdict.MALFORMED;
        };
    }

    @Override
    public byte[] terminalError(TruncationReason reason, String requestId) {
        return framing.frame(GeminiErrorBody.of(reason.status().httpStatus(), reason.status().rpcName(),
                reason.message(), List.of(), requestId));
    }

    @Override
    public byte[] upstreamError(byte[] event, UpstreamErrorReader errorReader, String requestId) {
        byte[] json = Arrays.copyOfRange(event, payloadStart(event), payloadEnd(event));
        return framing.frame(errorReader.read(500, json, false, requestId).body());
    }

    /** Where the JSON starts: after {@code data:} and one optional space, or at the first byte of a bare object. */
    private static int payloadStart(byte[] event) {
        int i = 0;
        if (event.length >= 5 && event[0] == 'd' && event[1] == 'a' && event[2] == 't' && event[3] == 'a'
                && event[4] == ':') {
            i = 5;
        }
        while (i < event.length && (event[i] == ' ' || event[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int payloadEnd(byte[] event) {
        int end = event.length;
        while (end > 0 && (event[end - 1] == '\n' || event[end - 1] == '\r' || event[end - 1] == ' ')) {
            end--;
        }
        return end;
    }
}
