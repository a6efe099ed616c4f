import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live API load: N WebSocket sessions, each sending its setup, then one text turn a second for the run's duration;
 * for every turn, the time from sending it until its turnComplete arrives. Prints key=value lines: sessions opened,
 * turns answered, errors, and the turn round trip's p50/p99/p999/max in ms. Run on JDK 21+ as a source file:
 *   java LiveLoad.java --url=ws://127.0.0.1:8080 --key=KEY --sessions=1000 --seconds=60
 */
public final class LiveLoad {

    private static final String PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
    private static final String SETUP = "{\"setup\":{\"model\":\"models/gemini-3.1-flash-live-preview\","
            + "\"generationConfig\":{\"responseModalities\":[\"TEXT\"]}}}";
    private static final String TURN = "{\"clientContent\":{\"turns\":[{\"role\":\"user\",\"parts\":[{\"text\":"
            + "\"Say hello.\"}]}],\"turnComplete\":true}}";

    public static void main(String[] args) throws Exception {
        String url = arg(args, "url", null);
        String key = arg(args, "key", null);
        int sessions = Integer.parseInt(arg(args, "sessions", "1000"));
        int seconds = Integer.parseInt(arg(args, "seconds", "60"));
        int openRate = Integer.parseInt(arg(args, "open-rate", "200"));

        HttpClient http = HttpClient.newHttpClient();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ConcurrentLinkedQueue<Long> roundTrips = new ConcurrentLinkedQueue<>();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        List<Session> all = new ArrayList<>();

        for (int i = 0; i < sessions; i++) {
            Session session = new Session(roundTrips, errors);
            all.add(session);
            http.newWebSocketBuilder().header("x-goog-api-key", key).connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(url + PATH), session)
                    .whenComplete((socket, failure) -> {
                        if (failure != null) {
                            errors.incrementAndGet();
                            return;
                        }
                        opened.incrementAndGet();
                        socket.sendText(SETUP, true);
                    });
            if ((i + 1) % openRate == 0) {
                Thread.sleep(1000);   // pacing the opening, not measuring anything
            }
        }
        long start = System.nanoTime();
        // Each session sends a turn a second, the sessions spread evenly over the second.
        for (int i = 0; i < all.size(); i++) {
            Session session = all.get(i);
            timer.scheduleAtFixedRate(session::turn, 1000 + (1000L * i) / all.size(), 1000, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(seconds * 1000L);
        timer.shutdownNow();
        Thread.sleep(2000);   // the last turns' answers
        for (Session session : all) {
            if (session.pendingSince != 0) {
                unanswered.incrementAndGet();
            }
            session.close();
        }
        long[] sorted = roundTrips.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println("sessions=" + sessions);
        System.out.println("opened=" + opened.get());
        System.out.println("setup_complete=" + all.stream().filter(s -> s.ready).count());
        System.out.println("turns=" + sorted.length);
        System.out.println("turns_per_second=" + String.format("%.0f", sorted.length / ((System.nanoTime() - start) / 1e9)));
        System.out.println("unanswered_at_end=" + unanswered.get());
        System.out.println("skipped_turns=" + all.stream().mapToInt(s -> s.skipped).sum());
        System.out.println("errors=" + errors.get());
        System.out.println("rtt_p50_ms=" + percentile(sorted, 0.50));
        System.out.println("rtt_p99_ms=" + percentile(sorted, 0.99));
        System.out.println("rtt_p999_ms=" + percentile(sorted, 0.999));
        System.out.println("rtt_max_ms=" + (sorted.length == 0 ? "-" : String.format("%.2f", sorted[sorted.length - 1] / 1e6)));
        System.exit(0);
    }

    private static String percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return String.format("%.2f", sorted[Math.max(0, index)] / 1e6);
    }

    private static String arg(String[] args, String name, String fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith("--" + name + "=")).map(a -> a.substring(name.length() + 3))
                .findFirst().orElseGet(() -> {
                    if (fallback == null) {
                        throw new IllegalArgumentException("--" + name + " is required");
                    }
                    return fallback;
                });
    }

    /** One session: sends a turn when asked (unless the last is unanswered) and times it to its turnComplete. */
    private static final class Session implements WebSocket.Listener {

        private final ConcurrentLinkedQueue<Long> roundTrips;
        private final AtomicInteger errors;
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        private volatile WebSocket socket;
        private volatile boolean ready;
        private volatile long pendingSince;
        private volatile int skipped;

        Session(ConcurrentLinkedQueue<Long> roundTrips, AtomicInteger errors) {
            this.roundTrips = roundTrips;
            this.errors = errors;
        }

        void turn() {
            if (!ready || socket == null) {
                return;
            }
            if (pendingSince != 0) {
                skipped++;
                return;
            }
            pendingSince = System.nanoTime();
            socket.sendText(TURN, true);
        }

        void close() {
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                message(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                message(binary.toString(StandardCharsets.UTF_8));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        private void message(String json) {
            if (json.contains("setupComplete")) {
                ready = true;
            } else if (json.contains("turnComplete") && pendingSince != 0) {
                roundTrips.add(System.nanoTime() - pendingSince);
                pendingSince = 0;
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                errors.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.incrementAndGet();
        }
    }
}
