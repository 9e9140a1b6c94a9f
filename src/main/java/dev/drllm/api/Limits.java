package dev.drllm.api;

/**
 * Hard limits a loaded model enforces on every request. Crossing one raises a
 * {@link LimitExceededException} before any work is done.
 *
 * @param maxContextTokens prompt plus new tokens; capped at the model's {@code max_position_embeddings}. Text
 *                         prompts are tokenized only up to it: a longer one is refused without encoding the rest
 * @param maxNewTokens     new tokens per request
 * @param memoryBudgetBytes the memory all running generations of one model may hold together:
 *                         each reserves an upper bound of its KV cache, activations, scratch,
 *                         logits, sampling buffers and ids before it starts (see {@link DrLlm#memoryInUse()});
 *                         finished generations' caches kept for reuse count too, and give way to
 *                         any request that needs their room ({@link DrLlm#memoryIdle()})
 */
public record Limits(int maxContextTokens, int maxNewTokens, long memoryBudgetBytes) {
    /** No limit beyond the model's own context; the memory budget is sized from the heap (see {@link #defaults()}). */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public Limits {
        if (maxContextTokens < 1) throw new InvalidRequestException("maxContextTokens must be >= 1, got " + maxContextTokens);
        if (maxNewTokens < 0) throw new InvalidRequestException("maxNewTokens must be >= 0, got " + maxNewTokens);
        if (memoryBudgetBytes < 1) throw new InvalidRequestException("memoryBudgetBytes must be >= 1, got " + memoryBudgetBytes);
    }

    /**
     * The model's full context, any number of new tokens within it, and a memory budget of a
     * quarter of the maximum heap: the CPU backend keeps caches and activations on the heap, and
     * the rest must hold the model's own heap data (tokenizer, norms), garbage not yet collected
     * and the caller's data. At {@code -Xmx40m} this runs one long generation of the tiny model at
     * a time and refuses the others with {@link LimitExceededException} (see README "Embedding API").
     */
    public static Limits defaults() {
        return new Limits(UNLIMITED, UNLIMITED, Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }

    public Limits withMaxContextTokens(int v) { return new Limits(v, maxNewTokens, memoryBudgetBytes); }

    public Limits withMaxNewTokens(int v) { return new Limits(maxContextTokens, v, memoryBudgetBytes); }

    public Limits withMemoryBudgetBytes(long v) { return new Limits(maxContextTokens, maxNewTokens, v); }
}
