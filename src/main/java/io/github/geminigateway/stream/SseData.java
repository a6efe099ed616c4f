package io.github.geminigateway.stream;

import java.io.ByteArrayOutputStream;

/**
 * The data of one server-sent event: its {@code data:} lines (one optional space after the colon stripped) joined by
 * newlines, as the SSE specification reads them. {@code event:}, {@code id:}, {@code retry:} and comment lines carry
 * no data. A line that starts with a brace counts as data too: Google sends a bare {@code {"error":...}} mid-stream.
 */
final class SseData {

    private SseData() {
    }

    /** The event's data, or null when it has none. */
    static byte[] of(byte[] event) {
        ByteArrayOutputStream data = null;
        int i = 0;
        while (i < event.length) {
            int end = i;
            while (end < event.length && event[end] != '\n' && event[end] != '\r') {
                end++;
            }
            int value = valueStart(event, i, end);
            if (value >= 0) {
                if (data == null) {
                    data = new ByteArrayOutputStream(end - value);
                } else {
                    data.write('\n');
                }
                data.write(event, value, end - value);
            }
            i = end + 1;
        }
        return data == null ? null : data.toByteArray();
    }

    private static int valueStart(byte[] event, int start, int end) {
        if (end - start >= 5 && event[start] == 'd' && event[start + 1] == 'a' && event[start + 2] == 't'
                && event[start + 3] == 'a' && event[start + 4] == ':') {
            return start + 5 < end && event[start + 5] == ' ' ? start + 6 : start + 5;
        }
        return end > start && event[start] == '{' ? start : -1;
    }
}
