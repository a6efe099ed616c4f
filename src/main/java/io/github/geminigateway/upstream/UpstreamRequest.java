package io.github.geminigateway.upstream;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * One request as it goes to Google: method, the path and query under the upstream base URL, the headers that passed
 * the allow-list, and the body. The upstream key is not part of it; {@link UpstreamClient} adds it last.
 *
 * @param body      a replayable publisher for joined bodies (so a retry can resend it), or a one-shot stream for uploads
 * @param deadlines the first-byte and idle bounds of this call (the total bound is the relay's)
 */
public record UpstreamRequest(HttpMethod method, String pathAndQuery, HttpHeaders headers, Publisher<ByteBuf> body,
                              Deadlines deadlines) {

    /** The same request to another path: a fallback model's. */
    public UpstreamRequest to(String otherPathAndQuery) {
        return new UpstreamRequest(method, otherPathAndQuery, headers, body, deadlines);
    }
}
