package dev.drllm.api;

/**
 * Hard limits a loaded model enforces on every request. Crossing one raises a
 * {@link LimitExceededException} before any work is done.
 *
 * @param maxContextTokens prompt plus new tokens; capped at the model's {@code max_position_embeddings}
 * @param maxNewTokens     new tokens per request
 * @param kvBudgetBytes    KV-cache bytes all running generations of one model may hold together
 */
public record Limits(int maxContextTokens, int maxNewTokens, long kvBudgetBytes) {
    /** No limit beyond the model's own context; the KV budget is sized from the heap (see {@link #defaults()}). */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public Limits {
        if (maxContextTokens < 1) throw new InvalidRequestException("maxContextTokens must be >= 1, got " + maxContextTokens);
        if (maxNewTokens < 0) throw new InvalidRequestException("maxNewTokens must be >= 0, got " + maxNewTokens);
        if (kvBudgetBytes < 1) throw new InvalidRequestException("kvBudgetBytes must be >= 1, got " + kvBudgetBytes);
    }

    /**
     * The model's full context, any number of new tokens within it, and a KV budget of a quarter
     * of the maximum heap: the CPU backend keeps its KV cache on the heap, and the rest of the
     * heap must still hold activations, logits and the caller's own data.
     */
    public static Limits defaults() {
        return new Limits(UNLIMITED, UNLIMITED, Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }

    public Limits withMaxContextTokens(int v) { return new Limits(v, maxNewTokens, kvBudgetBytes); }

    public Limits withMaxNewTokens(int v) { return new Limits(maxContextTokens, v, kvBudgetBytes); }

    public Limits withKvBudgetBytes(long v) { return new Limits(maxContextTokens, maxNewTokens, v); }
}
