package dev.drllm.runtime;

/** A layer path that breaks the invariants of {@link LayerPath}. */
public class InvalidPathException extends IllegalArgumentException {
    public InvalidPathException(String message) { super(message); }
}
