package dev.drllm.train;

/**
 * Router training hyper-parameters. {@link #paper()} gives Dr.LLM's defaults (§4 / DESIGN.md §1):
 * AdamW lr 1e-3, weight decay 0.01, 500 warm-up steps, cosine, 25 epochs, effective batch 16,
 * focal γ = 2, effective-number β = 0.999, router width 128.
 *
 * @param heldOut  share of the labelled questions kept out of training for the per-epoch metrics
 * @param selectBest keep the epoch with the best held-out macro-F1 instead of the last one
 */
public record TrainConfig(int epochs, double lr, double weightDecay, int warmupSteps, int batchSize, double gamma, double beta,
                          double heldOut, long seed, int routerHidden, boolean selectBest) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(gamma >= 0)) throw new IllegalArgumentException("focal gamma must be >= 0, got " + gamma);
        if (!(beta > 0 && beta < 1)) throw new IllegalArgumentException("beta must be in (0, 1), got " + beta);
        if (!(heldOut >= 0 && heldOut < 1)) throw new IllegalArgumentException("held-out share must be in [0, 1), got " + heldOut);
        if (routerHidden < 1) throw new IllegalArgumentException("router width must be >= 1, got " + routerHidden);
    }

    public static TrainConfig paper() {
        return new TrainConfig(25, 1e-3, 0.01, 500, 16, FocalLoss.PAPER_GAMMA, FocalLoss.PAPER_BETA, 0.1, 0, 128, false);
    }
}
