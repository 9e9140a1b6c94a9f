package dev.drllm.mcts;

/**
 * Search constants (DESIGN.md §1, the paper's values): 50 simulations, UCB exploration c = 1.8,
 * length penalty λ = 3.0 applied as λ·|path|/L, a uniformly random child with probability 0.1.
 */
public record MctsConfig(int simulations, double exploration, double lengthPenalty, double randomPick) {
    public MctsConfig {
        if (simulations < 1) throw new IllegalArgumentException("simulations must be >= 1, got " + simulations);
        if (!(exploration >= 0) || !(lengthPenalty >= 0)) throw new IllegalArgumentException("exploration and length penalty must be >= 0");
        if (!(randomPick >= 0 && randomPick <= 1)) throw new IllegalArgumentException("random pick probability must be in [0, 1], got " + randomPick);
    }

    public static MctsConfig paper() {
        return new MctsConfig(50, 1.8, 3.0, 0.1);
    }

    public MctsConfig withSimulations(int n) {
        return new MctsConfig(n, exploration, lengthPenalty, randomPick);
    }
}
