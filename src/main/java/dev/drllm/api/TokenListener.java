package dev.drllm.api;

/**
 * Receives tokens as they are generated, on the generating thread, before the next decode step
 * starts. To stop early call {@link Session#cancel()} (from here or any other thread).
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(Token token);
}
