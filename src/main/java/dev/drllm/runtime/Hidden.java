package dev.drllm.runtime;

/**
 * The residual stream of a batch of tokens, [tokens, hidden], owned by a backend (host floats on
 * the CPU, device memory on CUDA). Close releases backend memory.
 */
public interface Hidden extends AutoCloseable {
    int tokens();

    @Override
    default void close() {}
}
