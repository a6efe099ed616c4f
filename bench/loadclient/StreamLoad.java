import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SSE stream load client for the gateway benchmark (bench/run.sh). Single-file program for JDK 21+:
 *
 * <pre>
 * java StreamLoad.java --url=http://127.0.0.1:18080/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse \
 *     --key=bench-key --streams=1000 --chunks=30 --delay-ms=1000 [--open-rate=2000] [--sample=gateway:PID,...] \
 *     [--out=result.properties] [--label=gateway]
 * </pre>
 *
 * Opens N concurrent streams (one raw HTTP/1.1 socket and one virtual thread each, opened at --open-rate per
 * second so that the upstream's 1-per-second events are spread evenly over the second, as real traffic would be),
 * timestamps the arrival of every SSE event, and reports the per-event lag: for event i (0-based) of a stream whose
 * request was written at t0, lag = arrival - (t0 + (i + 1) * delay), because the simulator waits one delay before
 * each event. It also reports each event's relay delay within its stream: with o_i = arrival_i - i * delay,
 * relay_i = o_i - min_j o_j, i.e. how much later than the stream's best-delivered event it was passed on; this leaves
 * out the stream's set-up time (reported as first-event lag) and any constant path latency. Running the same thing directly against the simulator and through the
 * gateway and subtracting gives what the gateway adds. A stream is an error when it is not 200, ends before the event carrying
 * "finishReason", times out, or cannot connect.
 *
 * With --sample=name:PID it samples /proc/PID (VmRSS, utime+stime) every 200 ms and reports peak RSS and average CPU
 * (percent of one core), both over the whole run and over the "held" window in which all streams are open.
 */
public final class StreamLoad {

    static final String BODY = "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                System.err.println("bad argument: " + a);
                System.exit(2);
            }
            o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        URI url = URI.create(req(o, "url"));
        String key = o.getOrDefault("key", "bench-key");
        int streams = Integer.parseInt(o.getOrDefault("streams", "1000"));
        int chunks = Integer.parseInt(o.getOrDefault("chunks", "30"));
        long delayMs = Long.parseLong(o.getOrDefault("delay-ms", "1000"));
        double openRate = Double.parseDouble(o.getOrDefault("open-rate", "2000"));
        int readTimeoutMs = Integer.parseInt(o.getOrDefault("read-timeout-ms", "30000"));
        long clkTck = Long.parseLong(o.getOrDefault("clk-tck", "100"));
        String label = o.getOrDefault("label", "run");
        String out = o.get("out");

        Run run = new Run(url, key, streams, chunks, delayMs, readTimeoutMs);
        List<Sampler> samplers = new ArrayList<>();
        if (o.containsKey("sample") && !o.get("sample").isBlank()) {
            for (String spec : o.get("sample").split(",")) {
                String[] p = spec.split(":");
                samplers.add(new Sampler(p[0], Long.parseLong(p[1]), clkTck));
            }
        }
        samplers.add(new Sampler("loadclient", ProcessHandle.current().pid(), clkTck));
        Thread samplerThread = Thread.ofPlatform().daemon().name("sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                for (Sampler s : samplers) {
                    s.sample(now);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        long started = System.nanoTime();
        // Overall bound: opening time + the stream itself + generous slack; anything still open then is an error.
        long deadlineNanos = started + TimeUnit.SECONDS.toNanos((long) Math.ceil(streams / openRate)
                + (chunks * delayMs) / 1000 + 60);
        long intervalNanos = (long) (1e9 / openRate);
        for (int i = 0; i < streams; i++) {
            long due = started + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int id = i;
            Thread.ofVirtual().start(() -> run.stream(id));
        }
        run.allStarted = System.nanoTime();
        boolean finished = run.done.await(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!finished) {
            run.abortRemaining();
            run.done.await(10, TimeUnit.SECONDS);
        }
        long ended = System.nanoTime();
        samplerThread.interrupt();
        samplerThread.join(1000);

        Map<String, String> r = run.report(started, ended);
        long heldFrom = run.allOpen.get() == 0 ? run.allStarted : run.allOpen.get();
        long heldTo = run.firstFinished.get() == Long.MAX_VALUE ? ended : run.firstFinished.get();
        for (Sampler s : samplers) {
            s.report(r, started, ended, heldFrom, heldTo);
        }
        r.put("held_window_s", fmt((heldTo - heldFrom) / 1e9));
        r.put("label", label);
        StringBuilder text = new StringBuilder();
        r.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        PrintStream console = System.out;
        console.print(text);
        if (out != null) {
            Files.writeString(Path.of(out), text.toString());
        }
        System.exit(0);
    }

    static String req(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null) {
            System.err.println("missing --" + k);
            System.exit(2);
        }
        return v;
    }

    static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.3f", d);
    }

    /** One load run: N streams against one URL. */
    static final class Run {
        final URI url;
        final String host;
        final int port;
        final byte[] request;
        final int streams;
        final int chunks;
        final long delayNanos;
        final int readTimeoutMs;
        final CountDownLatch done;
        final Map<Integer, Socket> open = new ConcurrentHashMap<>();
        volatile long allStarted;
        final AtomicLong allOpen = new AtomicLong();
        final AtomicLong firstFinished = new AtomicLong(Long.MAX_VALUE);
        final AtomicInteger firstEvents = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        final AtomicInteger errorSampleCount = new AtomicInteger();
        /** Per stream, per event lag in microseconds; Long.MIN_VALUE where the event never came. */
        final long[][] lags;
        /**
         * Per stream, the relay delay of each event in microseconds: with o_i = arrival_i - i * delay, the stream's
         * o_i - min_j o_j. The best-delivered event of the stream is the reference, so the stream's set-up time and
         * any constant path latency drop out, and every event delivered later than that one counts, event 0 too.
         */
        final long[][] relays;
        /** Per stream, the arrival time (nanoTime) of each event that came. */
        final long[][] arrivals;
        final long[] connectMicros;
        final long[] headerMicros;
        final AtomicInteger eventCountMismatch = new AtomicInteger();

        Run(URI url, String key, int streams, int chunks, long delayMs, int readTimeoutMs) {
            this.url = url;
            this.host = url.getHost();
            this.port = url.getPort() < 0 ? 80 : url.getPort();
            String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + ":" + port + "\r\n"
                    + "x-goog-api-key: " + key + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            this.request = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, request, h.length, body.length);
            this.streams = streams;
            this.chunks = chunks;
            this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMs);
            this.readTimeoutMs = readTimeoutMs;
            this.done = new CountDownLatch(streams);
            this.lags = new long[streams][];
            this.relays = new long[streams][];
            this.arrivals = new long[streams][];
            this.connectMicros = new long[streams];
            this.headerMicros = new long[streams];
            Arrays.fill(connectMicros, -1);
            Arrays.fill(headerMicros, -1);
        }

        void error(String kind, String detail) {
            errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            if (errorSampleCount.incrementAndGet() <= 10) {
                errorSamples.add(kind + ": " + detail);
            }
        }

        void abortRemaining() {
            for (Socket s : open.values()) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        void stream(int id) {
            long[] lag = new long[chunks];
            Arrays.fill(lag, Long.MIN_VALUE);
            lags[id] = lag;
            long[] offsets = new long[chunks];
            long[] arrived = new long[chunks];
            Socket socket = new Socket();
            open.put(id, socket);
            int events = 0;
            boolean finishSeen = false;
            try {
                long c0 = System.nanoTime();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 30_000);
                socket.setSoTimeout(readTimeoutMs);
                long t0 = System.nanoTime();
                connectMicros[id] = (t0 - c0) / 1000;
                OutputStream os = socket.getOutputStream();
                os.write(request);
                os.flush();
                Reader in = new Reader(socket.getInputStream());
                String status = in.line();
                if (status == null) {
                    error("eof_before_status", "stream " + id);
                    return;
                }
                headerMicros[id] = (in.lastFill - t0) / 1000;
                String[] parts = status.split(" ", 3);
                int code = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
                boolean chunked = false;
                long contentLength = -1;
                for (String h = in.line(); h != null && !h.isEmpty(); h = in.line()) {
                    String lower = h.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("content-length:")) {
                        contentLength = Long.parseLong(lower.substring(15).trim());
                    }
                }
                if (code != 200) {
                    byte[] rest = in.readSome(512);
                    error("status_" + code, new String(rest, StandardCharsets.UTF_8).replaceAll("\\s+", " "));
                    return;
                }
                Body body = new Body(in, chunked, contentLength);
                StringBuilder line = new StringBuilder();
                boolean eventHasData = false;
                boolean eventHasFinish = false;
                int b;
                while ((b = body.read()) >= 0) {
                    if (b == '\n') {
                        int len = line.length();
                        if (len > 0 && line.charAt(len - 1) == '\r') {
                            line.setLength(len - 1);
                        }
                        if (line.isEmpty()) {
                            if (eventHasData) {
                                long now = in.lastFill;
                                if (events < chunks) {
                                    lag[events] = (now - (t0 + (events + 1) * delayNanos)) / 1000;
                                }
                                if (events < chunks) {
                                    offsets[events] = now - events * delayNanos;
                                    arrived[events] = now;
                                }
                                if (events == 0 && firstEvents.incrementAndGet() == streams) {
                                    allOpen.set(now);
                                }
                                events++;
                                if (eventHasFinish) {
                                    finishSeen = true;
                                }
                            }
                            eventHasData = false;
                            eventHasFinish = false;
                        } else if (line.indexOf("data:") == 0) {
                            eventHasData = true;
                            if (line.indexOf("\"finishReason\"") >= 0) {
                                eventHasFinish = true;
                            }
                            if (line.indexOf("\"error\"") >= 0 && line.indexOf("\"candidates\"") < 0) {
                                error("error_event", line.substring(0, Math.min(300, line.length())));
                            }
                        }
                        line.setLength(0);
                    } else {
                        line.append((char) b);
                    }
                }
                if (!finishSeen) {
                    error("eof_before_finish", "stream " + id + " after " + events + " events");
                } else {
                    if (events != chunks) {
                        eventCountMismatch.incrementAndGet();
                    }
                    ok.incrementAndGet();
                    long now = System.nanoTime();
                    firstFinished.accumulateAndGet(now, Math::min);
                }
                int seen = Math.min(events, chunks);
                if (seen > 0) {
                    long min = Long.MAX_VALUE;
                    for (int i = 0; i < seen; i++) {
                        min = Math.min(min, offsets[i]);
                    }
                    long[] relay = new long[seen];
                    for (int i = 0; i < seen; i++) {
                        relay[i] = (offsets[i] - min) / 1000;
                    }
                    relays[id] = relay;
                    arrivals[id] = Arrays.copyOf(arrived, seen);
                }
            } catch (SocketTimeoutException e) {
                error("read_timeout", "stream " + id + " after " + events + " events");
            } catch (IOException | RuntimeException e) {
                error(finishSeen ? "io_after_finish" : "io_" + e.getClass().getSimpleName(),
                        "stream " + id + " after " + events + " events: " + e.getMessage());
            } finally {
                open.remove(id);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // done with it
                }
                done.countDown();
            }
        }

        Map<String, String> report(long started, long ended) {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("url", url.toString());
            r.put("streams", Integer.toString(streams));
            r.put("chunks", Integer.toString(chunks));
            r.put("delay_ms", Long.toString(delayNanos / 1_000_000));
            r.put("ok", Integer.toString(ok.get()));
            int errorTotal = errors.values().stream().mapToInt(AtomicInteger::get).sum();
            r.put("errors", Integer.toString(errorTotal));
            r.put("error_kinds", new TreeMap<>(errors).toString().replace(' ', '_'));
            r.put("error_samples", String.join(" | ", errorSamples).replace('\n', ' '));
            r.put("event_count_mismatch", Integer.toString(eventCountMismatch.get()));
            r.put("wall_s", fmt((ended - started) / 1e9));
            long[] all = Arrays.stream(lags).filter(a -> a != null).flatMapToLong(Arrays::stream)
                    .filter(v -> v != Long.MIN_VALUE).sorted().toArray();
            long[] first = Arrays.stream(lags).filter(a -> a != null).mapToLong(a -> a[0])
                    .filter(v -> v != Long.MIN_VALUE).sorted().toArray();
            long[] rest = Arrays.stream(lags).filter(a -> a != null)
                    .flatMapToLong(a -> Arrays.stream(a, 1, a.length)).filter(v -> v != Long.MIN_VALUE).sorted()
                    .toArray();
            long[] relay = Arrays.stream(relays).filter(a -> a != null).flatMapToLong(Arrays::stream).sorted()
                    .toArray();
            r.put("events", Integer.toString(all.length));
            r.put("relay_p50_ms", ms(pct(relay, 50)));
            r.put("relay_p99_ms", ms(pct(relay, 99)));
            r.put("relay_p999_ms", ms(pct(relay, 99.9)));
            r.put("relay_max_ms", ms(relay.length == 0 ? Long.MIN_VALUE : relay[relay.length - 1]));
            // The same, only for events that arrived while every stream was open and the ramp-up was over (from 2 s
            // after the last stream's first event until the first stream ended): the steady hold, without set-up.
            long from = allOpen.get() == 0 ? Long.MAX_VALUE : allOpen.get() + 2_000_000_000L;
            long to = firstFinished.get();
            List<Long> held = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                if (relays[s] == null) {
                    continue;
                }
                for (int i = 0; i < relays[s].length; i++) {
                    if (arrivals[s][i] >= from && arrivals[s][i] <= to) {
                        held.add(relays[s][i]);
                    }
                }
            }
            long[] h = held.stream().mapToLong(Long::longValue).sorted().toArray();
            r.put("held_events", Integer.toString(h.length));
            r.put("held_relay_p50_ms", ms(pct(h, 50)));
            r.put("held_relay_p99_ms", ms(pct(h, 99)));
            r.put("held_relay_max_ms", ms(h.length == 0 ? Long.MIN_VALUE : h[h.length - 1]));
            r.put("lag_p50_ms", ms(pct(all, 50)));
            r.put("lag_p99_ms", ms(pct(all, 99)));
            r.put("lag_p999_ms", ms(pct(all, 99.9)));
            r.put("lag_max_ms", ms(all.length == 0 ? Long.MIN_VALUE : all[all.length - 1]));
            r.put("first_lag_p50_ms", ms(pct(first, 50)));
            r.put("first_lag_p99_ms", ms(pct(first, 99)));
            r.put("later_lag_p50_ms", ms(pct(rest, 50)));
            r.put("later_lag_p99_ms", ms(pct(rest, 99)));
            long[] conn = Arrays.stream(connectMicros).filter(v -> v >= 0).sorted().toArray();
            long[] hdr = Arrays.stream(headerMicros).filter(v -> v >= 0).sorted().toArray();
            r.put("connect_p99_ms", ms(pct(conn, 99)));
            r.put("connect_max_ms", ms(conn.length == 0 ? Long.MIN_VALUE : conn[conn.length - 1]));
            r.put("headers_p50_ms", ms(pct(hdr, 50)));
            r.put("headers_p99_ms", ms(pct(hdr, 99)));
            return r;
        }

        static long pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Long.MIN_VALUE;
            }
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
        }

        static String ms(long micros) {
            return micros == Long.MIN_VALUE ? "NA" : fmt(micros / 1000.0);
        }
    }

    /** A buffered socket reader that remembers when its current buffer arrived. */
    static final class Reader {
        final InputStream in;
        final byte[] buf = new byte[16384];
        int pos;
        int lim;
        long lastFill;

        Reader(InputStream in) {
            this.in = in;
        }

        boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            lastFill = System.nanoTime();
            pos = 0;
            lim = n;
            return true;
        }

        int read() throws IOException {
            if (pos >= lim && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = read()) >= 0) {
                if (b == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        byte[] readSome(int max) {
            byte[] out = new byte[max];
            int n = 0;
            try {
                int b;
                while (n < max && (b = read()) >= 0) {
                    out[n++] = (byte) b;
                }
            } catch (IOException ignored) {
                // best effort
            }
            return Arrays.copyOf(out, n);
        }
    }

    /** The response body: chunked, content-length or up to EOF. */
    static final class Body {
        final Reader in;
        final boolean chunked;
        long remaining;
        boolean finished;

        Body(Reader in, boolean chunked, long contentLength) {
            this.in = in;
            this.chunked = chunked;
            this.remaining = chunked ? 0 : contentLength;
        }

        int read() throws IOException {
            if (finished) {
                return -1;
            }
            if (!chunked) {
                if (remaining == 0) {
                    finished = true;
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    finished = true;
                    return -1;
                }
                if (remaining > 0) {
                    remaining--;
                }
                return b;
            }
            if (remaining == 0) {
                String size = in.line();
                if (size != null && size.isEmpty()) {
                    size = in.line(); // CRLF after the previous chunk's data
                }
                if (size == null) {
                    throw new IOException("EOF in chunk header");
                }
                int semi = size.indexOf(';');
                remaining = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (remaining == 0) {
                    finished = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in chunk data");
            }
            remaining--;
            return b;
        }
    }

    /** Samples RSS and CPU ticks of one process from /proc. */
    static final class Sampler {
        final String name;
        final long pid;
        final long clkTck;
        final List<long[]> samples = new ArrayList<>(); // {nanoTime, rssKb, ticks, threads}

        Sampler(String name, long pid, long clkTck) {
            this.name = name;
            this.pid = pid;
            this.clkTck = clkTck;
        }

        void sample(long now) {
            try {
                long rss = -1;
                long threads = -1;
                for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (l.startsWith("VmRSS:")) {
                        rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    } else if (l.startsWith("Threads:")) {
                        threads = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": f[0]=state (field 3), utime is field 14 -> f[11], stime field 15 -> f[12]
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                synchronized (samples) {
                    samples.add(new long[] {now, rss, ticks, threads});
                }
            } catch (IOException | RuntimeException e) {
                // process gone or unreadable: skip this sample
            }
        }

        void report(Map<String, String> r, long started, long ended, long heldFrom, long heldTo) {
            List<long[]> s;
            synchronized (samples) {
                s = new ArrayList<>(samples);
            }
            if (s.isEmpty()) {
                r.put(name + "_samples", "0");
                return;
            }
            r.put(name + "_pid", Long.toString(pid));
            r.put(name + "_samples", Integer.toString(s.size()));
            r.put(name + "_peak_rss_mib", fmt(s.stream().mapToLong(x -> x[1]).max().orElse(0) / 1024.0));
            r.put(name + "_peak_threads", Long.toString(s.stream().mapToLong(x -> x[3]).max().orElse(0)));
            r.put(name + "_cpu_avg_pct", cpu(s, started, ended));
            r.put(name + "_cpu_held_pct", cpu(s, heldFrom, heldTo));
        }

        String cpu(List<long[]> s, long from, long to) {
            long[] a = null;
            long[] b = null;
            for (long[] x : s) {
                if (x[0] >= from && a == null) {
                    a = x;
                }
                if (x[0] <= to) {
                    b = x;
                }
            }
            if (a == null || b == null || b[0] - a[0] < 500_000_000L) {
                return "NA";
            }
            double cpuSeconds = (b[2] - a[2]) / (double) clkTck;
            return fmt(100.0 * cpuSeconds / ((b[0] - a[0]) / 1e9));
        }
    }
}
