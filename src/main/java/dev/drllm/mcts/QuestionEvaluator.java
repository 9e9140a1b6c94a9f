package dev.drllm.mcts;

import dev.drllm.runtime.LayerPath;

/** The reward for one question, plus the reply text behind each verdict for the output line. */
public interface QuestionEvaluator extends PathEvaluator, AutoCloseable {
    /** The decoded reply along a path already evaluated, or null when not kept. */
    default String reply(LayerPath path) { return null; }

    @Override
    default void close() {}
}
