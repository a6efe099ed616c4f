package io.github.geminigateway.stream;

import io.github.geminigateway.limits.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway learned from an answer (generate or Interactions) while relaying it: the latest (cumulative) usage, the finish
 * reasons, and a safety block. Filled by {@link GenerateResponseScanner}, read when the response ends.
 */
public final class ResponseFacts {

    private TokenUsage usage;
    private final List<String> finishReasons = new ArrayList<>(1);
    private String blockReason;
    private boolean usageLater;

    void usage(TokenUsage usage) {
        this.usage = usage;
    }

    /** Adds one more answer's usage: a Live API session reports each turn's on its own. */
    void addUsage(TokenUsage more) {
        this.usage = usage == null ? more : new TokenUsage(usage.prompt() + more.prompt(),
                usage.output() + more.output(), usage.thoughts() + more.thoughts(), usage.cached() + more.cached());
    }

    void finishReason(String reason) {
        finishReasons.add(reason);
    }

    void blockReason(String reason) {
        this.blockReason = reason;
    }

    void usageLater() {
        this.usageLater = true;
    }

    /** Whether the answer says its usage will be known only later (a background interaction still running). */
    public boolean usageComesLater() {
        return usageLater;
    }

    /** The usage the answer reported, or null when it reported none. */
    public TokenUsage usage() {
        return usage;
    }

    public List<String> finishReasons() {
        return finishReasons;
    }

    public String blockReason() {
        return blockReason;
    }
}
