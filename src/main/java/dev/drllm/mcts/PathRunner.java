package dev.drllm.mcts;

import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Sampler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy generation of a short answer to one prompt along many paths, reusing prompt work across
 * paths. The prompt's state after execution slot k depends only on the first k + 1 path entries,
 * and MCTS paths differ from their neighbours by one edit, so prompt activations are kept in a
 * trie keyed by path prefix: each node holds the hidden state after its slot and that slot's KV
 * entries for the prompt positions. A path edited at position k copies slots 0..k−1 from the trie
 * and computes only slots ≥ k of the prompt (decode steps always run the whole path). The result
 * is bit-identical to an uncached run: the reused values are the same floats the uncached run
 * would recompute.
 */
public final class PathRunner implements AutoCloseable {
    private final Backend backend;
    private final PathExecutor executor;
    private final int[] prompt;
    private final int maxNewTokens;
    private final Set<Integer> stopTokens;
    private final boolean reusePrefixes;
    private final long budgetBytes;
    private final long nodeBytes;
    private final Node root = new Node(null, null);
    private final List<Node> stored = new ArrayList<>();
    private long slotsComputed, slotsReused, runs;

    private static final class Node {
        final Hidden hidden;   // residual stream after this slot, [prompt, H]
        final KvCache kv;      // this slot's keys/values for the prompt positions (one slot)
        final Map<Integer, Node> children = new HashMap<>();

        Node(Hidden hidden, KvCache kv) {
            this.hidden = hidden;
            this.kv = kv;
        }
    }

    /**
     * @param budgetBytes cap on the activations the trie keeps (past it, new prefixes are not
     *                    stored and runs fall back to computing them); irrelevant when not reusing
     */
    public PathRunner(Backend backend, int[] prompt, int maxNewTokens, Set<Integer> stopTokens, boolean reusePrefixes, long budgetBytes) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt: at least one token is needed");
        int positions = prompt.length + maxNewTokens;
        if (positions > backend.config().maxPositions()) {
            throw new dev.drllm.runtime.ContextLengthException("prompt of " + prompt.length + " tokens + " + maxNewTokens
                    + " new tokens exceeds the model's context of " + backend.config().maxPositions() + " positions");
        }
        this.backend = backend;
        this.executor = new PathExecutor(backend);
        this.prompt = prompt.clone();
        this.maxNewTokens = maxNewTokens;
        this.stopTokens = Set.copyOf(stopTokens);
        this.reusePrefixes = reusePrefixes;
        this.budgetBytes = budgetBytes;
        var c = backend.config();
        this.nodeBytes = 4L * prompt.length * (c.hiddenSize() + 2L * c.kvDim());
    }

    /** The greedy new tokens along {@code path}, ending with a stop token when one came. */
    public int[] generate(LayerPath path) {
        int n = path.length();
        int T = prompt.length;
        runs++;
        try (KvCache cache = backend.newCache(Math.max(n, 1), T + Math.max(maxNewTokens, 1))) {
            Node node = root;
            int k = 0;
            if (reusePrefixes) {
                while (k < n) {
                    Node child = node.children.get(path.layer(k));
                    if (child == null) break;
                    backend.copySlot(child.kv, 0, cache, k, T);
                    node = child;
                    k++;
                }
            }
            slotsReused += k;
            float[] logits;
            try (Hidden x = k == 0 ? backend.embed(prompt) : backend.copy(node.hidden)) {
                Node parent = reusePrefixes ? node : null;
                for (int s = k; s < n; s++) {
                    backend.block(path.layer(s), x, cache, s);
                    slotsComputed++;
                    parent = remember(parent, path.layer(s), x, cache, s);
                }
                cache.advance(T);
                logits = backend.logits(x, true);
            }
            int vocab = backend.config().vocabSize();
            int[] out = new int[maxNewTokens];
            int produced = 0;
            while (produced < maxNewTokens) {
                int next = Sampler.argmax(logits, logits.length - vocab, vocab);
                out[produced++] = next;
                if (stopTokens.contains(next) || produced == maxNewTokens) break;
                logits = executor.forward(new int[]{next}, path, cache, true);
            }
            return Arrays.copyOf(out, produced);
        }
    }

    /** Stores the state after slot {@code s} under {@code parent}; returns the new node, or null once the budget is spent. */
    private Node remember(Node parent, int layer, Hidden x, KvCache cache, int s) {
        if (parent == null || stored.size() * nodeBytes + nodeBytes > budgetBytes) return null;
        KvCache kv = backend.newCache(1, prompt.length);
        backend.copySlot(cache, s, kv, 0, prompt.length);
        Node child = new Node(backend.copy(x), kv);
        parent.children.put(layer, child);
        stored.add(child);
        return child;
    }

    /** Prompt slots computed so far (the work the trie could not spare). */
    public long slotsComputed() { return slotsComputed; }

    /** Prompt slots copied from the trie instead of computed. */
    public long slotsReused() { return slotsReused; }

    public long runs() { return runs; }

    @Override
    public void close() {
        for (Node n : stored) {
            n.hidden.close();
            n.kv.close();
        }
        stored.clear();
        root.children.clear();
    }
}
