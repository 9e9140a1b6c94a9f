package dev.drllm.cli;

/** A CLI usage problem reported as one line (bad option combination, unreadable input). */
public class UserException extends RuntimeException {
    public UserException(String message) { super(message); }
}
