package dev.drllm.model;

import dev.drllm.util.FileException;

import java.nio.file.Path;

/**
 * A checkpoint (config, safetensors, index) that cannot be used. Always names the file, and the
 * tensor where one is involved, so the user can tell exactly what is wrong.
 */
public class CheckpointException extends FileException {
    private final String tensor;

    public CheckpointException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    public CheckpointException(Path file, String tensor, String problem, Throwable cause) {
        super(file, tensor == null ? null : "tensor '" + tensor + "'", problem, cause);
        this.tensor = tensor;
    }

    /** The tensor involved, or null when the problem concerns the file as a whole. */
    public String tensor() { return tensor; }
}
