package dev.drllm.runtime;

/**
 * How a request's prompt is run and its path chosen. A fixed path is the plain case; the router
 * decides the path during prefill (DESIGN.md §1: once per input) and the decode steps follow it.
 */
@FunctionalInterface
public interface Prefill {
    /** The outcome: the path decode will follow, and the logits of the prompt's last token. */
    record Result(LayerPath path, float[] lastLogits, Object details) {}

    /** Runs the prompt into {@code cache} (sized for 2L slots) and returns the path chosen. */
    Result run(PathExecutor executor, int[] prompt, KvCache cache);

    static Prefill fixed(LayerPath path) {
        return (executor, prompt, cache) -> new Result(path, executor.forward(prompt, path, cache, true), null);
    }
}
