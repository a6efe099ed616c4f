package io.github.geminigateway.support;

import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * A streaming call through the gateway on its own connection, with team-a's key, recording what has arrived so far.
 * It asks for gzip, as the SDKs do, so a test can see the gateway does not pass that on for streams.
 */
public final class StreamingCall {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<HttpHeaders> headers = new AtomicReference<>();
    private volatile int status;
    private Disposable subscription;

    private StreamingCall() {
    }

    /** Starts a POST of the JSON body to the URL, with team-a's key; returns at once. */
    public static StreamingCall start(String url, String jsonBody) {
        return start(url, jsonBody, "x-goog-api-key", RunningGateway.CLIENT_KEY);
    }

    /** The same, with the key in the given header (Authorization: Bearer, for the OpenAI route). */
    public static StreamingCall start(String url, String jsonBody, String keyHeader, String keyValue) {
        StreamingCall call = new StreamingCall();
        call.subscription = HttpClient.newConnection()
                .headers(h -> h.set(keyHeader, keyValue)
                        .set("Content-Type", "application/json")
                        .set("Accept-Encoding", "gzip"))
                .post()
                .uri(url)
                .send(ByteBufFlux.fromString(Mono.just(jsonBody)))
                .response((response, content) -> {
                    call.status = response.status().code();
                    call.headers.set(response.responseHeaders());
                    return content.asByteArray();
                })
                .subscribe(call::append, call.failure::set, () -> call.completed.set(true));
        return call;
    }

    private synchronized void append(byte[] read) {
        bytes.writeBytes(read);
    }

    public synchronized String received() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public boolean completed() {
        return completed.get();
    }

    public Throwable failure() {
        return failure.get();
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers.get();
    }

    public String contentType() {
        return headers.get().get("Content-Type");
    }

    public void cancel() {
        subscription.dispose();
    }
}
