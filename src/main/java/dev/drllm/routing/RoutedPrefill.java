package dev.drllm.routing;

import dev.drllm.model.ModelConfig;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Prefill;

import java.util.Arrays;

/**
 * Prefill that builds the path as it goes (DESIGN.md §1–2): for l = 0 … L−1, router l reads the
 * hidden state entering block l <em>along the path built so far</em>, pooled over the prompt's
 * windows; its decision runs block l zero, one or two times, each run in a fresh KV slot. The path
 * is decided once, here, and decode follows it unchanged.
 *
 * <p><b>The cap needs every decision.</b> The cap rule (drop the least-confident repeats, then the
 * least-confident executes) ranks all L decisions, but decision l depends on the path before it,
 * so no single left-to-right pass can know which decisions are the least confident overall. We
 * therefore route with argmax first and, only when that path is longer than the cap, apply the cap
 * to the argmax decisions and run prefill once more along the capped path (overwriting the KV
 * slots, which were not yet committed). A greedy left-to-right budget would instead always spend
 * the budget on the early layers and starve the late ones whatever the routers' confidence. The
 * second pass costs at most one extra prefill, paid only by requests over their cap; the routers
 * are not consulted again on it, so the reported decision logits are those the decisions came from.
 */
public final class RoutedPrefill implements Prefill {
    private final Routers routers;
    private final WindowPooling pooling;
    private final DecisionRule policy;
    private final boolean lastOnly;

    /**
     * @param routers  the routers; may be null only for static routing (nothing to report then)
     * @param mode     windowed (the reference, W from the routers) or full pooling
     * @param lastOnly whether the result carries only the last prompt token's logits (generation)
     *                 or all of them (the logits command, golden tests)
     */
    public RoutedPrefill(Routers routers, WindowPooling.Mode mode, DecisionRule policy, boolean lastOnly) {
        if (policy == null) throw new IllegalArgumentException("routing policy is missing");
        if (routers == null && !policy.staticRouting()) throw new IllegalArgumentException("routing needs routers (only static routing runs without)");
        this.routers = routers;
        this.pooling = routers == null ? null : mode == WindowPooling.Mode.FULL ? WindowPooling.full() : routers.pooling();
        this.policy = policy;
        this.lastOnly = lastOnly;
    }

    public RoutedPrefill(Routers routers, DecisionRule policy) {
        this(routers, WindowPooling.Mode.WINDOWED, policy, true);
    }

    public DecisionRule policy() { return policy; }

    @Override
    public Result run(PathExecutor executor, int[] prompt, KvCache cache) {
        Backend b = executor.backend();
        ModelConfig c = b.config();
        int L = c.numLayers(), T = prompt.length;
        if (T == 0) throw new IllegalArgumentException("empty prompt: at least one token is needed");
        if (routers != null && (routers.numLayers() != L || routers.hiddenSize() != c.hiddenSize())) {
            throw new IllegalArgumentException("routers are for " + routers.numLayers() + " layers of hidden size " + routers.hiddenSize()
                    + ", the model has " + L + " of " + c.hiddenSize());
        }
        long t0 = System.nanoTime();
        long[] routingNs = {0};
        if (policy.staticRouting()) {
            LayerPath full = LayerPath.full(L);
            float[][] logits = routers == null ? null : new float[L][];
            PathExecutor.SlotObserver observer = routers == null ? null
                    : (slot, layer, x) -> logits[layer] = route(b, layer, x, routingNs);
            float[] out = executor.forward(prompt, full, cache, lastOnly, observer);
            int[] ones = full.counts();
            return new Result(full, out, new RoutingDecision(ones, ones.clone(), logits, full, windows(T), false, routingNs[0], System.nanoTime() - t0));
        }
        if (cache.slots() < 2 * L) {
            throw new IllegalArgumentException("routed prefill needs a KV cache with 2L = " + 2 * L + " slots, this one has " + cache.slots());
        }
        if (cache.length() + T > cache.capacity()) {
            throw new ContextLengthException("context of " + (cache.length() + T) + " tokens exceeds the cache capacity " + cache.capacity());
        }
        int[] routed = new int[L];
        float[][] logits = new float[L][];
        int[] decisions;
        float[] out = null;
        try (Hidden x = b.embed(prompt)) {
            int slot = 0;
            for (int l = 0; l < L; l++) {
                logits[l] = route(b, l, x, routingNs);
                routed[l] = policy.decide(logits[l]);
                for (int r = 0; r < routed[l]; r++) b.block(l, x, cache, slot++);
            }
            decisions = policy.cap(routed, logits);
            if (Arrays.equals(decisions, routed)) {
                cache.advance(T);
                out = b.logits(x, lastOnly);
            }
        }
        LayerPath path = LayerPath.fromCounts(decisions);
        boolean capped = out == null;
        // over the cap: the slots written above were never committed, the capped pass overwrites them
        if (capped) out = executor.forward(prompt, path, cache, lastOnly);
        return new Result(path, out, new RoutingDecision(routed, decisions, logits, path, windows(T), capped, routingNs[0], System.nanoTime() - t0));
    }

    private int windows(int tokens) {
        return pooling == null ? 0 : pooling.windowCount(tokens);
    }

    private float[] route(Backend b, int layer, Hidden x, long[] routingNs) {
        long t = System.nanoTime();
        float[] logits = pooling.logits(routers.get(layer), b, x);
        routingNs[0] += System.nanoTime() - t;
        return logits;
    }
}
