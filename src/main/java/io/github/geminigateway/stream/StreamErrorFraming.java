package io.github.geminigateway.stream;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to put a terminal error into a stream so that the caller's SDK raises it (wire doc section 3.5). Current SDKs
 * (python-genai, @google/genai 3.x, google-genai Java) all raise a {@code data: {"error":...}} event followed by the
 * end of the response. js-genai before 3.0 ignores that form and raises only a bare {@code {"error":...}} that
 * arrives as its own network read, so it gets the bare form, chosen by the {@code x-goog-api-client} token.
 */
public enum StreamErrorFraming {
    DATA_EVENT,
    BARE_JSON;

    private static final Pattern NODE_SDK = Pattern.compile("google-genai-sdk/(\\d+)\\.[^ ]* gl-node/");

    public static StreamErrorFraming forApiClient(String apiClientHeader) {
        if (apiClientHeader != null) {
            Matcher matcher = NODE_SDK.matcher(apiClientHeader);
            if (matcher.find() && Integer.parseInt(matcher.group(1)) < 3) {
                return BARE_JSON;
            }
        }
        return DATA_EVENT;
    }

    /** The bytes of the terminal event; the error JSON must start with {@code {"error":}, which python checks. */
    public byte[] frame(byte[] errorJson) {
        String json = new String(errorJson, StandardCharsets.UTF_8);
        String framed = this == DATA_EVENT ? "data: " + json + "\r\n\r\n" : json + "\n";
        return framed.getBytes(StandardCharsets.UTF_8);
    }
}
