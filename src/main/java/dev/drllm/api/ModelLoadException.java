package dev.drllm.api;

import java.nio.file.Path;

/**
 * A model directory (config, safetensors, index, weights) that cannot be used. Names the file and,
 * where one is involved, the tensor, so the fault can be located without a debugger.
 */
public final class ModelLoadException extends DrLlmException {
    private final Path file;
    private final String tensor;

    public ModelLoadException(Path file, String tensor, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file at fault, or null when unknown. */
    public Path file() { return file; }

    /** The tensor at fault, or null when the problem concerns a file as a whole. */
    public String tensor() { return tensor; }
}
