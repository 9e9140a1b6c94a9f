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

    /**
     * An upper bound, in bytes, of the memory one sequence holds on this backend at any moment of
     * a generation: a cache of {@link #newCache newCache(slots, capacity)}, the activations and
     * scratch of a forward pass over {@code promptTokens} tokens (later single-token steps reuse
     * them) and one logits row. The embedding API reserves it from its memory budget before any
     * work. This default bounds a backend that keeps f32 keys and values and a few host copies of
     * the [tokens, hidden] state; backends with their own layout override it.
     */
    default long sequenceBytes(int slots, int capacity, int promptTokens) {
        ModelConfig c = config();
        try {
            long kv = Math.multiplyExact(Math.multiplyExact(2L * slots, (long) capacity), (long) c.kvDim() * Float.BYTES);
            long acts = 4L * promptTokens * Math.max(c.hiddenSize(), c.intermediateSize()) * Float.BYTES;
            return Math.addExact(kv, acts + 2L * c.vocabSize() * Float.BYTES);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Token embeddings, [tokens, hidden]. */
    Hidden embed(int[] tokens);

    /**
     * The embedding of one token for a decode step of {@code cache}'s sequence. A backend may hand
     * out a state the cache owns (the CPU backend does, so a decode step allocates nothing): it is
     * valid until the cache's next decode step, and closing it is harmless. The default embeds a
     * fresh state.
     */
    default Hidden embedStep(int token, KvCache cache) {
        return embed(new int[] {token});
    }

    /**
     * Runs block {@code layer} in place on {@code x} as execution slot {@code slot}: the tokens sit at
     * positions {@code cache.length() ..}, their keys and values go into the slot, and attention is
     * causal over everything the slot holds.
     */
    void block(int layer, Hidden x, KvCache cache, int slot);

    /** Final RMSNorm then LM head: [tokens, vocab] floats, or only the last row when {@code lastOnly}. */
    float[] logits(Hidden x, boolean lastOnly);

    /**
     * The last row's logits written into {@code out[0 .. vocab)} (a decode step reuses one row
     * instead of receiving a new one); returns {@code out}. The default copies {@link #logits
     * logits(x, true)}.
     */
    default float[] lastLogits(Hidden x, float[] out) {
        float[] row = logits(x, true);
        System.arraycopy(row, 0, out, 0, row.length);
        return out;
    }

    /**
     * How many finished sequences (KV cache, scratch, logits row) the embedding API may keep for
     * reuse by later requests instead of allocating them anew. 0, the default, closes each cache
     * when its generation ends.
     */
    default int idleSequences() { return 0; }

    /** The final RMSNorm output, [tokens, hidden] (for checks against the reference). */
    float[] finalNorm(Hidden x);

    /** A host copy of the residual stream, [tokens, hidden]. */
    float[] read(Hidden x);

    /**
     * Router pooling: the means of {@code windows} consecutive groups of {@code windowSize} rows of
     * {@code x} (rows past {@code windows·windowSize} are ignored), [windows, hidden]. The default
     * copies the whole state to the host; a device backend should pool in place so only
     * windows·hidden floats cross the bus.
     */
    default float[] windowMeans(Hidden x, int windows, int windowSize) {
        return windowMeans(read(x), config().hiddenSize(), windows, windowSize);
    }

    /**
     * The host reference for {@link #windowMeans(Hidden, int, int)}. Sums are taken in double, so
     * each mean is the correctly rounded f32 of the exact mean (torch's f32 mean is within an ulp
     * or two of it), and the result does not depend on summation order.
     */
    static float[] windowMeans(float[] x, int hidden, int windows, int windowSize) {
        if (windows < 1 || windowSize < 1 || (long) windows * windowSize * hidden > x.length) {
            throw new IllegalArgumentException(windows + " windows of " + windowSize + " rows do not fit a state of "
                    + x.length / Math.max(1, hidden) + " rows");
        }
        float[] out = new float[windows * hidden];
        double[] acc = new double[hidden];
        for (int w = 0; w < windows; w++) {
            java.util.Arrays.fill(acc, 0);
            for (int t = w * windowSize; t < (w + 1) * windowSize; t++) {
                int base = t * hidden;
                for (int i = 0; i < hidden; i++) acc[i] += x[base + i];
            }
            for (int i = 0; i < hidden; i++) out[w * hidden + i] = (float) (acc[i] / windowSize);
        }
        return out;
    }

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
