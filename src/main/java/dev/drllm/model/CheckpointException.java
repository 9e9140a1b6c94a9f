package dev.drllm.model;

import java.nio.file.Path;

/**
 * A checkpoint (config, safetensors, index) that cannot be used. Always names the file, and the
 * tensor where one is involved, so the user can tell exactly what is wrong.
 */
public class CheckpointException extends RuntimeException {
    private final Path file;
    private final String tensor;

    public CheckpointException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    public CheckpointException(Path file, String tensor, String problem, Throwable cause) {
        super(describe(file, tensor, problem), cause);
        this.file = file;
        this.tensor = tensor;
    }

    private static String describe(Path file, String tensor, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<unknown file>" : file.toString());
        if (tensor != null) sb.append(": tensor '").append(tensor).append('\'');
        sb.append(": ").append(problem);
        return sb.toString();
    }

    public Path file() { return file; }

    /** The tensor involved, or null when the problem concerns the file as a whole. */
    public String tensor() { return tensor; }
}
