package io.github.geminigateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.support.FakeGemini;
import io.github.geminigateway.support.GatewayExtension;
import io.github.geminigateway.support.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 6: connections that send half a header, half a body or nothing are closed by the server in bounded
 * time, without a key; one peer cannot hold more connections than its cap.
 */
class CallerTimeoutsTest {

    private static final int BOUND_MILLIS = 5_000;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: (\\d+)");

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("--gateway.server.idle-timeout=500ms",
                "--gateway.server.read-timeout=500ms",
                "--gateway.server.request-timeout=2s",
                "--gateway.server.max-connections-per-peer=4");
    private static final FakeGemini upstream = gateway.upstream();

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertClosedByServer(socket);
        }
    }

    /** The second review found the management port kept idle connections open: it has its own server. */
    @Test
    void theManagementPortClosesConnectionsThatSendNothingOrHalfAHeaderToo() throws IOException {
        try (Socket silent = new Socket("127.0.0.1", gateway.managementPort());
             Socket half = new Socket("127.0.0.1", gateway.managementPort())) {
            silent.setSoTimeout(BOUND_MILLIS);
            half.setSoTimeout(BOUND_MILLIS);
            send(half, "GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Half:");
            assertClosedByServer(silent);
            assertClosedByServer(half);
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

    /** The review found it: the cap counted requests, so a kept-alive connection lost its fifth request. */
    @Test
    void theCapCountsConnectionsNotTheRequestsOnOne() throws IOException {
        try (Socket socket = connect()) {
            for (int i = 0; i < 6; i++) {
                send(socket, "GET /v1beta/models HTTP/1.1\r\nHost: x\r\nx-goog-api-key: "
                        + RunningGateway.CLIENT_KEY + "\r\n\r\n");
                assertThat(readResponseHead(socket)).as("request %d", i).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aBodyTrickledSlowerThanTheRequestTimeoutGetsA408NotA500() throws IOException, InterruptedException {
        try (Socket socket = connect()) {
            send(socket, "POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1\r\nHost: x\r\n"
                    + "x-goog-api-key: " + RunningGateway.CLIENT_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n");
            // The stimulus is the pace itself: a byte every 200 ms, well within the read timeout (500 ms), for
            // longer than the request timeout (2 s).
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            try {
                while (System.nanoTime() < until) {
                    send(socket, " ");
                    Thread.sleep(200);
                }
            } catch (IOException closed) {
                // the server gave up first: what it answered is below
            }
            assertThat(assertClosedByServer(socket)).startsWith("HTTP/1.1 408");
        }
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

    /** Reads one response's status line, headers and its Content-Length body. */
    private static String readResponseHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
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
