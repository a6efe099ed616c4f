package io.github.geminigateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 6: connections that send half a header, half a body or nothing are closed by the server in bounded
 * time, without a key; one peer cannot hold more connections than its cap.
 */
class CallerTimeoutsTest {

    private static final int BOUND_MILLIS = 5_000;

    private static FakeGemini upstream;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeGemini.start();
        gateway = RunningGateway.start(upstream.baseUrl(),
                "--gateway.server.idle-timeout=500ms",
                "--gateway.server.read-timeout=500ms",
                "--gateway.server.request-timeout=2s",
                "--gateway.server.max-connections-per-peer=4");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertClosedByServer(socket);
        }
    }

    @Test
    void aConnectionThatSendsHalfAHeaderIsClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1\r\nHost: x\r\nX-Half:");
            assertClosedByServer(socket);
        }
    }

    @Test
    void aConnectionThatSendsHalfABodyGetsA408AndIsClosedAndNothingGoesUpstream() throws IOException {
        int before = upstream.requests().size();
        try (Socket socket = connect()) {
            send(socket, "POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1\r\nHost: x\r\n"
                    + "x-goog-api-key: " + RunningGateway.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"contents\":");
            assertThat(assertClosedByServer(socket)).startsWith("HTTP/1.1 408")
                    .contains("\"status\":\"DEADLINE_EXCEEDED\"");
        }
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void onePeerHoldsNoMoreConnectionsThanItsCap() throws IOException {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(connect());
            }
            try (Socket fifth = connect()) {
                assertClosedByServer(fifth);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(BOUND_MILLIS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads until the server closes and returns what it sent first; a read that times out means the server kept the
     * connection open.
     */
    private static String assertClosedByServer(Socket socket) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the connection open for " + BOUND_MILLIS + " ms");
        } catch (IOException reset) {
            // a reset is a close too
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
