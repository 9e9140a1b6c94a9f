package dev.drllm.api;

/**
 * A request that would cross one of the configured {@link Limits}. Raised before any work is done,
 * so the engine never truncates silently and never runs into an {@code OutOfMemoryError}.
 */
public final class LimitExceededException extends DrLlmException {
    /** Which limit was hit. */
    public enum Limit {
        /** prompt + new tokens above {@link Limits#maxContextTokens()}. */
        CONTEXT,
        /** new tokens above {@link Limits#maxNewTokens()}. */
        NEW_TOKENS,
        /** the request's memory (KV cache, activations, scratch…) would not fit in what is left of {@link Limits#memoryBudgetBytes()}. */
        MEMORY
    }

    private final Limit limit;
    private final long requested;
    private final long allowed;

    public LimitExceededException(Limit limit, long requested, long allowed, String message) {
        super(message);
        this.limit = limit;
        this.requested = requested;
        this.allowed = allowed;
    }

    public Limit limit() { return limit; }

    /**
     * What the request needed (tokens or bytes). For a text prompt over the context limit it is a
     * lower bound: the text is tokenized only until it is known not to fit.
     */
    public long requested() { return requested; }

    /** What was available when it was refused (tokens or bytes). */
    public long allowed() { return allowed; }
}
