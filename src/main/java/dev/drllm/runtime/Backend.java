package dev.drllm.runtime;

import dev.drllm.model.ModelConfig;

/**
 * What an executor needs from a compute backend. The CPU backend is the executable specification;
 * the CUDA backend mirrors it with device memory. Implementations are thread-safe for distinct
 * caches and hidden states (weights are shared, read-only).
 */
public interface Backend extends AutoCloseable {
    String name();

    ModelConfig config();

    KvCache newCache(int slots, int capacity);

    /** Token embeddings, [tokens, hidden]. */
    Hidden embed(int[] tokens);

    /**
     * Runs block {@code layer} in place on {@code x} as execution slot {@code slot}: the tokens sit at
     * positions {@code cache.length() ..}, their keys and values go into the slot, and attention is
     * causal over everything the slot holds.
     */
    void block(int layer, Hidden x, KvCache cache, int slot);

    /** Final RMSNorm then LM head: [tokens, vocab] floats, or only the last row when {@code lastOnly}. */
    float[] logits(Hidden x, boolean lastOnly);

    /** The final RMSNorm output, [tokens, hidden] (for checks against the reference). */
    float[] finalNorm(Hidden x);

    /** A host copy of the residual stream, [tokens, hidden]. */
    float[] read(Hidden x);

    /** A copy of this hidden state (prefix caching branches from it). */
    Hidden copy(Hidden x);

    /**
     * Copies the first {@code positions} positions of slot {@code srcSlot} of {@code src} into slot
     * {@code dstSlot} of {@code dst} (prefix reuse: paths that agree on their first slots share them).
     */
    void copySlot(KvCache src, int srcSlot, KvCache dst, int dstSlot, int positions);

    /** A hidden state from host floats, [tokens, hidden]. */
    Hidden upload(float[] data, int tokens);

    @Override
    default void close() {}
}
