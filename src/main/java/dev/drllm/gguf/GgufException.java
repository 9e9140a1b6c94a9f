package dev.drllm.gguf;

import dev.drllm.model.CheckpointException;

import java.nio.file.Path;

/** A GGUF file that cannot be used: names the file, the tensor or metadata key where one is involved, and the problem. */
public class GgufException extends CheckpointException {
    public GgufException(Path file, String tensor, String problem) {
        super(file, tensor, problem);
    }

    public GgufException(Path file, String tensor, String problem, Throwable cause) {
        super(file, tensor, problem, cause);
    }
}
