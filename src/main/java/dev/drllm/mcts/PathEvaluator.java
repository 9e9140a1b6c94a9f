package dev.drllm.mcts;

import dev.drllm.runtime.LayerPath;

/**
 * The MCTS reward for one question: does the greedy answer along {@code path} come out correct?
 * The model-backed implementation is {@link ModelPathEvaluator}; tests plug in stub rewards.
 */
@FunctionalInterface
public interface PathEvaluator {
    boolean correct(LayerPath path);
}
