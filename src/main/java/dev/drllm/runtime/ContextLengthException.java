package dev.drllm.runtime;

/** A request that would run past the model's context or the cache's capacity. */
public class ContextLengthException extends IllegalArgumentException {
    public ContextLengthException(String message) { super(message); }
}
