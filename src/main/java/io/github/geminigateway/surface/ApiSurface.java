package io.github.geminigateway.surface;

import io.github.geminigateway.error.ErrorBodyShape;
import io.github.geminigateway.stream.AnswerScanner;
import io.github.geminigateway.stream.StreamDialect;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.MultiValueMap;

/**
 * One API surface of Gemini (generateContent and its resources, Interactions, ...), as the gateway's policies see
 * it. The relay is the same for all of them; what differs is said here: which operation a request is, which model
 * or agent it names (in the path or the body), where its callers put their key and how they parse an error, how it
 * may be retried and how long it may take, how its event
 * streams end and break, and where its answers report token usage.
 */
public interface ApiSurface {

    /** Whether the checked path belongs to this surface. */
    boolean serves(GeminiPath path);

    /** The gateway key the caller presented, where the surface's SDKs send it; null when there is none. */
    default String presentedKey(HttpHeaders headers, MultiValueMap<String, String> query) {
        String header = headers.getFirst("x-goog-api-key");
        return header != null ? header : query.getFirst("key");
    }

    /** Where the key goes, for the 401 that a call without one gets. */
    default String keyLocation() {
        return "the x-goog-api-key header";
    }

    /** The shape of the surface's error answers. */
    default ErrorBodyShape errorShape() {
        return ErrorBodyShape.GEMINI;
    }

    /** The body fields the surface's policies need; {@link BodyFields#NONE} when the path says all. */
    BodyFields bodyFields(HttpMethod method, GeminiPath path);

    /** What the request is, once the wanted body fields have been read. Refuses a malformed model name (400). */
    SurfaceCall classify(HttpMethod method, GeminiPath path, String rawQuery, BodyFacts body);

    /** The dialect of the surface's event streams, for the caller that sent these headers. */
    StreamDialect dialect(HttpHeaders callerHeaders);

    /** Reads the operation's unary answer for usage; null when its answer carries none worth reading. */
    AnswerScanner answerScanner(Operation operation);
}
