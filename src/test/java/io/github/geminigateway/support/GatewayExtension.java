package io.github.geminigateway.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One gateway in front of one {@link FakeGemini} for all the tests of a class, with the settings the class gives: the
 * gateway starts before the class's first test (and before its own {@code @BeforeAll} methods), both stop after its
 * last test, and replies a test queued but never used are forgotten before the next one. Registered on a static
 * field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final GatewayExtension gateway = new GatewayExtension("--gateway.retry.max-attempts=1");
 * static final FakeGemini upstream = gateway.upstream();
 * </pre>
 *
 * The fake upstream is up from the start, so that a test class can keep it in a field of its own; the gateway is
 * reached only from tests and lifecycle methods.
 */
public final class GatewayExtension extends RunningGateway
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final FakeGemini upstream = FakeGemini.start();
    private final String[] args;

    /** @param args {@code --name=value} settings on top of {@link RunningGateway}'s */
    public GatewayExtension(String... args) {
        this.args = args.clone();
    }

    public FakeGemini upstream() {
        return upstream;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started(run(upstream.baseUrl(), args));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        upstream.forgetPending();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            close();
        } finally {
            upstream.close();
        }
    }
}
