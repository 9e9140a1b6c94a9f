package dev.drllm.util;

import java.nio.file.Path;

/**
 * A file drllm was given that cannot be used. Every message reads {@code file: part: problem}, the
 * part (a tensor, a tokenizer component) left out when the file as a whole is at fault, so the user
 * can tell exactly what is wrong. The base of the checkpoint and tokenizer errors.
 */
public abstract class FileException extends RuntimeException {
    private final Path file;

    protected FileException(Path file, String part, String problem, Throwable cause) {
        super((file == null ? "<unknown file>" : file.toString()) + (part == null ? "" : ": " + part) + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() { return file; }
}
