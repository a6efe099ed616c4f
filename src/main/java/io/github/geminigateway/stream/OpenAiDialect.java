package io.github.geminigateway.stream;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.ErrorSummary;
import io.github.geminigateway.error.OpenAiErrorBody;
import io.github.geminigateway.upstream.UpstreamErrorReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The OpenAI-compatible route's chat stream: {@code data: <chat.completion.chunk>} events, relayed as received. It
 * ends cleanly once every choice that appeared has a {@code finish_reason} (a usage-only chunk may follow, and a
 * {@code data: [DONE]}); an end before that is a truncation, and so is a {@code [DONE]} before it. A broken stream
 * ends in {@code data: {"error":{...}}}, which openai-python and openai-node raise as an {@code APIError} and
 * openai-java as an {@code SseException} (each checks a chunk for an {@code error} field before parsing it).
 *
 * <p>It keeps the stream's choices, so one instance serves one stream ({@code OpenAiSurface} makes one per call).
 */
public final class OpenAiDialect implements StreamDialect {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final OpenAiScanner.Choices choices = new OpenAiScanner.Choices();

    @Override
    public Verdict read(byte[] event, ResponseFacts facts) {
        byte[] data = SseData.of(event);
        if (data == null) {
            return Verdict.PASS;
        }
        if (Arrays.equals(data, DONE)) {
            return Verdict.DONE;
        }
        return OpenAiScanner.scanChunk(data, 0, data.length, choices, facts);
    }

    @Override
    public byte[] terminalError(TruncationReason reason, String requestId) {
        String message = reason == TruncationReason.NO_FINISH_REASON
                ? "The upstream Gemini API ended the stream before a chunk with finish_reason: the answer is "
                        + "incomplete."
                : reason.message();
        return event(reason.status().httpStatus(), reason.status().rpcName(), message, requestId);
    }

    @Override
    public byte[] upstreamError(byte[] event, UpstreamErrorReader errorReader, String requestId) {
        byte[] data = SseData.of(event);
        ErrorSummary summary = errorReader.summarize(data == null ? new byte[0] : data);
        String message = summary.message() != null ? summary.message()
                : "The upstream Gemini API failed in the middle of the stream.";
        return event(ErrorStatus.INTERNAL.httpStatus(), summary.code() != null ? summary.code()
                : ErrorStatus.INTERNAL.rpcName(), message, requestId);
    }

    private static byte[] event(int httpStatus, String code, String message, String requestId) {
        String json = new String(OpenAiErrorBody.of(httpStatus, code, message, requestId), StandardCharsets.UTF_8);
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
