package io.github.geminigateway.diagnostics;

/**
 * One diagnostic check's result, written for the operator reading it at 3 a.m.: what was checked, how it went, how
 * long it took, what that means, and what to do about it.
 *
 * @param status {@code ok}, {@code warn} or {@code fail}
 */
public record Check(String name, String status, long durationMillis, String detail, String meaning, String action) {

    static Check ok(String name, long millis, String detail, String meaning) {
        return new Check(name, "ok", millis, detail, meaning, "Nothing to do.");
    }

    static Check warn(String name, long millis, String detail, String meaning, String action) {
        return new Check(name, "warn", millis, detail, meaning, action);
    }

    static Check fail(String name, long millis, String detail, String meaning, String action) {
        return new Check(name, "fail", millis, detail, meaning, action);
    }
}
