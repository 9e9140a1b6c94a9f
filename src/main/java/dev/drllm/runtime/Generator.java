package dev.drllm.runtime;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Prefill, then one decode step per new token along the path fixed at prefill. Each execution
 * slot keeps its own KV cache; the cache holds exactly prompt + max new tokens positions.
 */
public final class Generator {
    private final PathExecutor executor;
    private final int maxPositions;

    public Generator(Backend backend) {
        this.executor = new PathExecutor(backend);
        this.maxPositions = backend.config().maxPositions();
    }

    public PathExecutor executor() { return executor; }

    public GenerationResult generate(int[] prompt, Prefill prefill, GenerationOptions opts) {
        return generate(prompt, prefill, opts, t -> true);
    }

    /**
     * Throws when a prompt of {@code promptTokens} plus {@code maxNewTokens} does not fit a context of
     * {@code maxPositions}, saying how many new tokens would (callers check this before a model loads).
     */
    public static void requireContext(int promptTokens, int maxNewTokens, int maxPositions) {
        if ((long) promptTokens + maxNewTokens <= maxPositions) return;
        long fit = (long) maxPositions - promptTokens;
        throw new ContextLengthException("prompt of " + promptTokens + " tokens + " + maxNewTokens + " new tokens exceeds the model's context of "
                + maxPositions + " positions" + (fit > 0 ? ": at most " + fit + " new tokens fit after this prompt" : ": the prompt alone fills it"));
    }

    /**
     * @param onToken called with each new token; returning false cancels the generation
     */
    public GenerationResult generate(int[] prompt, Prefill prefill, GenerationOptions opts, IntPredicate onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt: at least one token is needed");
        requireContext(prompt.length, opts.maxNewTokens(), maxPositions);
        Backend b = executor.backend();
        int slots = 2 * b.config().numLayers();
        int capacity = prompt.length + Math.max(opts.maxNewTokens(), 1);
        Sampler sampler = new Sampler(opts.temperature(), opts.topP(), opts.seed());
        int vocab = b.config().vocabSize();
        try (KvCache cache = b.newCache(slots, capacity)) {
            long t0 = System.nanoTime();
            Prefill.Result pre = prefill.run(executor, prompt, cache);
            double prefillMs = (System.nanoTime() - t0) / 1e6;
            int[] out = new int[opts.maxNewTokens()];
            int n = 0;
            int steps = 0;
            GenerationResult.StopReason reason = GenerationResult.StopReason.MAX_TOKENS;
            long t1 = System.nanoTime();
            float[] logits = pre.lastLogits();
            float[] row = new float[vocab]; // every decode step's logits, reused
            while (n < opts.maxNewTokens()) {
                int next = sampler.sample(logits, logits.length - vocab, vocab);
                out[n++] = next;
                if (!onToken.test(next)) {
                    reason = GenerationResult.StopReason.CANCELLED;
                    break;
                }
                if (opts.stopTokens().contains(next)) {
                    reason = GenerationResult.StopReason.STOP_TOKEN;
                    break;
                }
                if (n == opts.maxNewTokens()) break;
                logits = executor.step(next, pre.path(), cache, row, null);
                steps++;
            }
            double decodeMs = (System.nanoTime() - t1) / 1e6;
            return new GenerationResult(prompt.clone(), Arrays.copyOf(out, n), pre.path(), pre.details(), prefillMs, decodeMs, steps, reason);
        }
    }
}
