package io.github.geminigateway.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cuts an upstream server-sent-event byte stream into whole events, each with its terminating blank line, bytes
 * unchanged. Network reads do not line up with events: one read may hold half an event or three. Writing and flushing
 * whole events keeps a {@code data:} line and its blank line in one write, which python-genai 1.74+ waits for.
 *
 * <p>An event ends at the earliest {@code \n\n}, {@code \r\r} or {@code \r\n\r\n}, the terminators every SDK accepts.
 * Bytes left over when the upstream closes (Google's bare mid-stream {@code {"error":...}} has no terminator) come
 * out as a last event of their own, given the terminator they lacked, so nothing the upstream sent is dropped.
 */
public final class SseEventSplitter {

    private byte[] pending = new byte[0];
    private int scanFrom;

    private SseEventSplitter() {
    }

    /** The events of one upstream body; each subscription gets its own splitter state. */
    public static Flux<byte[]> split(Flux<DataBuffer> body) {
        return Flux.defer(() -> {
            SseEventSplitter splitter = new SseEventSplitter();
            // One read at a time: the default prefetch of 256 reads kept a 256-slot queue alive for every open stream.
            // The upstream's error waits until the events of the read before it are out. Reactor Netty signals a reset
            // at once, demand or not, and concatMapIterable then dropped the events of that read not yet asked for:
            // an event Google had sent was lost before the terminal error (SseEventSplitterTest).
            return body.concatMapDelayError(buffer -> Flux.fromIterable(splitter.feed(buffer)), 1)
                    .concatWith(Mono.fromSupplier(splitter::rest));
        });
    }

    List<byte[]> feed(DataBuffer buffer) {
        try {
            int start = pending.length;
            pending = Arrays.copyOf(pending, start + buffer.readableByteCount());
            buffer.read(pending, start, pending.length - start);
        } finally {
            DataBufferUtils.release(buffer);
        }
        List<byte[]> events = new ArrayList<>(1);
        int eventStart = 0;
        int i = Math.max(scanFrom, 0);
        while (i < pending.length) {
            int end = terminatorEnd(pending, i);
            if (end > 0) {
                events.add(Arrays.copyOfRange(pending, eventStart, end));
                eventStart = end;
                i = end;
            } else {
                i++;
            }
        }
        pending = eventStart == 0 ? pending : Arrays.copyOfRange(pending, eventStart, pending.length);
        scanFrom = Math.max(0, pending.length - 3);
        return events;
    }

    /**
     * What is left when the upstream closes, terminated: an SSE parser drops an event that has no blank line after it
     * at the end of the stream, so a final event sent without one would reach the caller as nothing at all.
     */
    byte[] rest() {
        byte[] rest = pending;
        pending = new byte[0];
        if (rest.length == 0) {
            return null;
        }
        byte last = rest[rest.length - 1];
        byte[] terminator = last == '\n' && rest.length > 1 && rest[rest.length - 2] == '\r'
                ? new byte[] {'\r', '\n'} : last == '\n' || last == '\r' ? new byte[] {last}
                : new byte[] {'\n', '\n'};
        byte[] terminated = Arrays.copyOf(rest, rest.length + terminator.length);
        System.arraycopy(terminator, 0, terminated, rest.length, terminator.length);
        return terminated;
    }

    /** The index just past a terminator that starts at {@code i}, or -1. */
    private static int terminatorEnd(byte[] b, int i) {
        if (i + 1 >= b.length) {
            return -1;
        }
        if ((b[i] == '\n' && b[i + 1] == '\n') || (b[i] == '\r' && b[i + 1] == '\r')) {
            return i + 2;
        }
        if (b[i] == '\r' && b[i + 1] == '\n' && i + 3 < b.length && b[i + 2] == '\r' && b[i + 3] == '\n') {
            return i + 4;
        }
        return -1;
    }
}
