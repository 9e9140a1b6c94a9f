package dev.drllm.tokenizer;

import dev.drllm.util.FileException;

import java.nio.file.Path;

/**
 * A tokenizer that cannot be loaded or used: names the file, the component of {@code tokenizer.json}
 * (e.g. {@code model.merges[17]}, {@code pre_tokenizer.pretokenizers[0]}, {@code chat_template}) and
 * what is wrong with it.
 */
public class TokenizerException extends FileException {
    private final String component;

    public TokenizerException(Path file, String component, String problem) {
        this(file, component, problem, null);
    }

    public TokenizerException(Path file, String component, String problem, Throwable cause) {
        super(file, component, problem, cause);
        this.component = component;
    }

    /** The JSON path of the offending component, or null when the file as a whole is at fault. */
    public String component() { return component; }
}
