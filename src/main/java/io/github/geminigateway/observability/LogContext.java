package io.github.geminigateway.observability;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * The request id and client id as MDC fields of the log lines a request causes. They live in the Reactor context,
 * registered with the context-propagation library, so Reactor's {@code handle} and {@code tap} operators restore them
 * into the MDC ({@code spring.reactor.context-propagation=limited}); the gateway's own request-time log lines (the
 * access line, an unexpected failure) open them explicitly with {@link #open}. Restoring them around every operator
 * ({@code auto}) was measured to cost more than half the unary throughput.
 */
public final class LogContext {

    public static final String REQUEST_ID = "requestId";
    public static final String CLIENT_ID = "clientId";

    private LogContext() {
    }

    /** Registers the MDC fields with the context-propagation library; idempotent. */
    public static void register() {
        ContextRegistry registry = ContextRegistry.getInstance();
        registry.registerThreadLocalAccessor(new MdcField(REQUEST_ID));
        registry.registerThreadLocalAccessor(new MdcField(CLIENT_ID));
    }

    /** Puts both fields into the MDC of the current thread until the returned scope is closed. */
    public static Scope open(String requestId, String clientId) {
        MDC.put(REQUEST_ID, requestId);
        MDC.put(CLIENT_ID, clientId);
        return () -> {
            MDC.remove(REQUEST_ID);
            MDC.remove(CLIENT_ID);
        };
    }

    /** An open pair of MDC fields. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private record MdcField(String name) implements ThreadLocalAccessor<String> {

        @Override
        public Object key() {
            return name;
        }

        @Override
        public String getValue() {
            return MDC.get(name);
        }

        @Override
        public void setValue(String value) {
            MDC.put(name, value);
        }

        @Override
        public void setValue() {
            MDC.remove(name);
        }
    }
}
