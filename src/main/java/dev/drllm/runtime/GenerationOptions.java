package dev.drllm.runtime;

import java.util.Set;

/** How many tokens to generate and how to pick them. Temperature 0 is greedy. */
public record GenerationOptions(int maxNewTokens, float temperature, float topP, long seed, Set<Integer> stopTokens) {
    public GenerationOptions {
        if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
        stopTokens = stopTokens == null ? Set.of() : Set.copyOf(stopTokens);
    }

    public static GenerationOptions greedy(int maxNewTokens, Set<Integer> stopTokens) {
        return new GenerationOptions(maxNewTokens, 0, 1, 0, stopTokens);
    }
}
