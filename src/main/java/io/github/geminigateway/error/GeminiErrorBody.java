package io.github.geminigateway.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the JSON of a gateway-made error exactly as Google shapes one ({@code {"error":{code,message,status,details}}}),
 * because the callers are Gemini SDKs that parse that shape and nothing else. The request id rides along as a
 * {@code google.rpc.RequestInfo} detail so a caller can quote it to the operators.
 */
public final class GeminiErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GeminiErrorBody() {
    }

    public static byte[] of(GatewayException error, String requestId) {
        return of(error.status().httpStatus(), error.status().rpcName(), error.getMessage(), error.details(), requestId);
    }

    public static byte[] of(int code, String status, String message, List<Map<String, Object>> details,
                            String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("status", status);
        List<Map<String, Object>> allDetails = new ArrayList<>(details);
        if (requestId != null) {
            allDetails.add(requestInfo(requestId));
        }
        body.put("details", allDetails);
        try {
            return JSON.writeValueAsBytes(Map.of("error", body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("error body could not be written", e);
        }
    }

    public static Map<String, Object> requestInfo(String requestId) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@type", "type.googleapis.com/google.rpc.RequestInfo");
        info.put("requestId", requestId);
        return info;
    }
}
