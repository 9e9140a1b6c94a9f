package dev.drllm.api;

/**
 * The forward pass produced non-finite logits (NaN or infinity), or the weights hold non-finite
 * values where they must not. Sampling from such logits would return garbage tokens, so the
 * generation stops with this error instead.
 */
public final class NumericalException extends DrLlmException {
    public NumericalException(String message) { super(message); }
}
