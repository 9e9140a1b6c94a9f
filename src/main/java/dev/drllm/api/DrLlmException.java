package dev.drllm.api;

/**
 * Base of every error the facade reports for bad input, exceeded limits or misuse. Catching this
 * one type is enough for an embedding service; the subclasses say which kind of problem it was.
 * Messages are single lines meant for users and logs.
 */
public class DrLlmException extends RuntimeException {
    public DrLlmException(String message) { super(message); }

    public DrLlmException(String message, Throwable cause) { super(message, cause); }
}
