package io.github.geminigateway.observability;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * The request id and client id as MDC fields of every log line a request causes. They live in the Reactor context and
 * are copied into the MDC on whichever thread runs the request's next step (Reactor's automatic context propagation,
 * switched on by {@code spring.reactor.context-propagation=auto}), so no code has to pass them along.
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
