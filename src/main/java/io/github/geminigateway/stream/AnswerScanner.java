package io.github.geminigateway.stream;

/** Reads a whole unary answer (one JSON document) for what the gateway accounts: usage, finish, block. */
@FunctionalInterface
public interface AnswerScanner {

    void scan(byte[] json, int offset, int length, ResponseFacts facts);
}
