package dev.drllm.api;

/** A request or option that can never be served as given (bad ids, bad path, bad sampling values). */
public final class InvalidRequestException extends DrLlmException {
    public InvalidRequestException(String message) { super(message); }

    public InvalidRequestException(String message, Throwable cause) { super(message, cause); }
}
