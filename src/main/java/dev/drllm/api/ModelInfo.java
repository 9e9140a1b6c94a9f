package dev.drllm.api;

import java.nio.file.Path;

/**
 * What a loaded model is: its shape and what the facade can do with it.
 *
 * @param maxContextTokens the effective context limit (the smaller of the model's and {@link Limits})
 */
public record ModelInfo(Path dir, String architecture, int numLayers, int hiddenSize, int vocabSize, int maxContextTokens,
                        String device, boolean hasTokenizer, boolean hasRouters) {}
