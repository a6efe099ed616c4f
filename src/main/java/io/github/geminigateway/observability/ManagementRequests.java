package io.github.geminigateway.observability;

import org.springframework.web.server.ServerWebExchange;

/**
 * Tells requests to the management server apart from API traffic. The management server runs as a child context on
 * its own port and inherits the parent's filters and routes, so both the correlation filter and the Gemini routes
 * ask this before treating a request as an API call.
 */
public final class ManagementRequests {

    private ManagementRequests() {
    }

    public static boolean isManagement(ServerWebExchange exchange) {
        return exchange.getApplicationContext() != null && exchange.getApplicationContext().getParent() != null;
    }
}
