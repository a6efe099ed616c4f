package io.github.geminigateway.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base for test classes that share one gateway with default settings in front of one {@link FakeGemini} for all their
 * tests; replies a previous test queued but never used are forgotten before each test.
 */
public abstract class SharedGateway {

    protected static FakeGemini upstream;
    protected static RunningGateway gateway;

    @BeforeAll
    static void startSharedGateway() {
        upstream = FakeGemini.start();
        gateway = RunningGateway.start(upstream.baseUrl());
    }

    @AfterAll
    static void stopSharedGateway() {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void forgetLeftovers() {
        upstream.forgetPending();
    }
}
