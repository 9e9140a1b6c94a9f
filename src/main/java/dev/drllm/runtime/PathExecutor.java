package dev.drllm.runtime;

/**
 * Runs tokens through a {@link LayerPath}: embed, one block per execution slot (each with its own
 * KV slot), final norm and LM head. The forward pass reads top to bottom in {@link #forward}.
 */
public final class PathExecutor {
    /** Sees the hidden state entering each execution slot (routers, golden tests, MCTS caching). */
    @FunctionalInterface
    public interface SlotObserver {
        void beforeSlot(int slot, int layer, Hidden x);
    }

    private final Backend backend;

    public PathExecutor(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() { return backend; }

    /** Logits of the new tokens ([tokens, vocab], or the last row only); commits their positions to the cache. */
    public float[] forward(int[] tokens, LayerPath path, KvCache cache, boolean lastOnly) {
        return forward(tokens, path, cache, lastOnly, null);
    }

    public float[] forward(int[] tokens, LayerPath path, KvCache cache, boolean lastOnly, SlotObserver observer) {
        checkFits(cache, path, tokens.length);
        try (Hidden x = backend.embed(tokens)) {
            runSlots(x, path, cache, tokens.length, observer);
            return backend.logits(x, lastOnly);
        }
    }

    /**
     * The last token's logits of a forward pass written into {@code out} (length at least the
     * vocabulary), which is returned; otherwise as {@link #forward}.
     */
    public float[] forwardInto(int[] tokens, LayerPath path, KvCache cache, float[] out, SlotObserver observer) {
        checkFits(cache, path, tokens.length);
        try (Hidden x = backend.embed(tokens)) {
            runSlots(x, path, cache, tokens.length, observer);
            return backend.lastLogits(x, out);
        }
    }

    /**
     * One decode step: {@code token} at the cache's next position, its logits written into
     * {@code out} (length at least the vocabulary), which is returned. On the CPU backend it
     * allocates nothing: the embedded state, the activations and the logits all live in buffers
     * the sequence keeps.
     */
    public float[] step(int token, LayerPath path, KvCache cache, float[] out, SlotObserver observer) {
        checkFits(cache, path, 1);
        try (Hidden x = backend.embedStep(token, cache)) {
            runSlots(x, path, cache, 1, observer);
            return backend.lastLogits(x, out);
        }
    }

    /** Every slot of {@code path} in place on {@code x}, then the {@code tokens} new positions committed to the cache. */
    private void runSlots(Hidden x, LayerPath path, KvCache cache, int tokens, SlotObserver observer) {
        for (int s = 0; s < path.length(); s++) {
            if (observer != null) observer.beforeSlot(s, path.layer(s), x);
            backend.block(path.layer(s), x, cache, s);
        }
        cache.advance(tokens);
    }

    static void checkFits(KvCache cache, LayerPath path, int tokens) {
        if (path.length() > cache.slots()) {
            throw new IllegalArgumentException("path has " + path.length() + " slots but the cache only " + cache.slots());
        }
        if (cache.length() + tokens > cache.capacity()) {
            throw new ContextLengthException("context of " + (cache.length() + tokens) + " tokens exceeds the cache capacity " + cache.capacity());
        }
    }
}
