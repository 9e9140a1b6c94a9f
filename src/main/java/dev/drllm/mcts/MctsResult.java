package dev.drllm.mcts;

import dev.drllm.runtime.LayerPath;

import java.util.List;

/**
 * The outcome of one search. {@code goodPaths} are the distinct correct paths in the order they
 * were first evaluated; {@code best} is the shortest of them (ties: fewer distinct layers, then
 * lexicographic), or null when no path answered correctly. {@code simulations} counts search
 * iterations run (early stops end it sooner), {@code evaluations} the distinct paths evaluated.
 */
public record MctsResult(boolean originalCorrect, LayerPath best, List<LayerPath> goodPaths, int simulations, int evaluations) {
    public MctsResult {
        goodPaths = List.copyOf(goodPaths);
    }

    public boolean solved() { return best != null; }

    /** A wrong answer at full depth that some path answers correctly. */
    public boolean fixed() { return !originalCorrect && best != null; }
}
