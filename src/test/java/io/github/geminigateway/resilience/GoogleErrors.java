package io.github.geminigateway.resilience;

/** Error bodies shaped like the ones Google's Gemini API sends (wire reference, section 4). */
final class GoogleErrors {

    static final String PER_MINUTE_QUOTA = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
    static final String PER_DAY_QUOTA = "GenerateRequestsPerDayPerProjectPerModel-FreeTier";

    private GoogleErrors() {
    }

    /** A 429 for the given quota id, with a RetryInfo delay such as "0.3s" (none when null). */
    static String quota(String quotaId, String retryDelay) {
        String retryInfo = retryDelay == null ? ""
                : ",{\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\": \"" + retryDelay + "\"}";
        return "{\"error\": {\"code\": 429,\"message\": \"You exceeded your current quota, please check your plan "
                + "and billing details.\",\"status\": \"RESOURCE_EXHAUSTED\",\"details\": [{\"@type\": "
                + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\": [{\"quotaMetric\": "
                + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\": \""
                + quotaId + "\",\"quotaDimensions\": {\"location\": \"global\",\"model\": \"gemini-2.5-flash\"},"
                + "\"quotaValue\": \"10\"}]}" + retryInfo + "]}}";
    }

    static String perMinute(String retryDelay) {
        return quota(PER_MINUTE_QUOTA, retryDelay);
    }

    static String status(int code, String status, String message) {
        return "{\"error\": {\"code\": " + code + ",\"message\": \"" + message + "\",\"status\": \"" + status + "\"}}";
    }

    static String invalidKey() {
        return "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":"
                + "\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                + "\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":"
                + "\"generativelanguage.googleapis.com\"}}]}}";
    }
}
