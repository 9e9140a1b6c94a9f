package dev.drllm.api;

/** The model or session was closed; its memory is released and it cannot be used again. */
public final class EngineClosedException extends DrLlmException {
    public EngineClosedException(String message) { super(message); }
}
