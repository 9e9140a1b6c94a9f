package dev.drllm.mcts;

import dev.drllm.runtime.Backend;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Sampler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy generation of a short answer to one prompt along many paths, reusing work across paths.
 *
 * <p>The state after execution slot k depends only on the first k + 1 path entries and on the
 * tokens fed so far, and MCTS paths differ from their neighbours by one edit. So activations are
 * kept in a trie keyed by path prefix: each node holds, for its slot, the hidden state after the
 * slot and the slot's KV rows — for the prompt, and for the generated tokens fed so far (valid for
 * a later run only while that run generates the same tokens). A path edited at position k copies
 * slots 0..k−1 from the trie and computes only slots ≥ k of the prompt; each decode step likewise
 * starts at the deepest node whose token history matches. Results are bit-identical to an
 * uncached run: the reused values are the same floats the uncached run would recompute.
 *
 * <p>Invariant: a node only holds rows its parent also holds, so the deepest usable node is found
 * by walking down the path while nodes match.
 */
public final class PathRunner implements AutoCloseable {
    private final Backend backend;
    private final int[] prompt;
    private final int maxNewTokens;
    private final Set<Integer> stopTokens;
    private final boolean reusePrefixes;
    private final long budgetBytes;
    private final long promptBytes, stepBytes;
    private final Node root = new Node(null, null, 0);
    private final List<Node> stored = new ArrayList<>();
    private long usedBytes;
    private long promptSlotsComputed, promptSlotsReused, stepSlotsComputed, stepSlotsReused, runs;

    private static final class Node {
        final Hidden prompt;                      // residual stream after this slot, [prompt, H]
        final KvCache kv;                         // this slot's K/V rows: prompt, then fed tokens
        final Map<Integer, Node> children = new HashMap<>();
        final List<Hidden> steps = new ArrayList<>(); // hidden after this slot for fed token j
        final int[] fed;                          // the generated tokens fed at steps 0..steps.size()-1

        Node(Hidden prompt, KvCache kv, int maxSteps) {
            this.prompt = prompt;
            this.kv = kv;
            this.fed = new int[maxSteps];
        }

        /** Holds rows for step j of a run that fed {@code tokens[0..j]}. */
        boolean matches(int[] tokens, int j) {
            return steps.size() > j && Arrays.equals(fed, 0, j + 1, tokens, 0, j + 1);
        }

        /** Holds exactly the rows of steps 0..j−1 of that run, so step j can be appended. */
        boolean extendable(int[] tokens, int j) {
            return steps.size() == j && Arrays.equals(fed, 0, j, tokens, 0, j);
        }
    }

    /**
     * @param budgetBytes cap on the activations the trie keeps (past it, new prefixes and steps are
     *                    not stored and runs compute them); irrelevant when not reusing
     */
    public PathRunner(Backend backend, int[] prompt, int maxNewTokens, Set<Integer> stopTokens, boolean reusePrefixes, long budgetBytes) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt: at least one token is needed");
        if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        int positions = prompt.length + maxNewTokens;
        if (positions > backend.config().maxPositions()) {
            throw new ContextLengthException("prompt of " + prompt.length + " tokens + " + maxNewTokens
                    + " new tokens exceeds the model's context of " + backend.config().maxPositions() + " positions");
        }
        this.backend = backend;
        this.prompt = prompt.clone();
        this.maxNewTokens = maxNewTokens;
        this.stopTokens = Set.copyOf(stopTokens);
        this.reusePrefixes = reusePrefixes;
        this.budgetBytes = budgetBytes;
        var c = backend.config();
        this.stepBytes = 4L * (c.hiddenSize() + 2L * c.kvDim());
        this.promptBytes = prompt.length * stepBytes + 2L * 4 * maxNewTokens * c.kvDim();
    }

    /** The greedy new tokens along {@code path}, ending with a stop token when one came. */
    public int[] generate(LayerPath path) {
        int n = path.length();
        int T = prompt.length;
        runs++;
        Node[] chain = new Node[n]; // chain[s]: the trie node after slot s of this path, null when not stored
        try (KvCache cache = backend.newCache(Math.max(n, 1), T + maxNewTokens)) {
            int k = 0;
            Node node = root;
            if (reusePrefixes) {
                while (k < n && (chain[k] = node.children.get(path.layer(k))) != null) {
                    backend.copySlot(chain[k].kv, 0, cache, k, T);
                    node = chain[k++];
                }
            }
            promptSlotsReused += k;
            float[] logits;
            try (Hidden x = k == 0 ? backend.embed(prompt) : backend.copy(node.prompt)) {
                Node parent = reusePrefixes ? node : null;
                for (int s = k; s < n; s++) {
                    backend.block(path.layer(s), x, cache, s);
                    promptSlotsComputed++;
                    parent = rememberPrompt(parent, path.layer(s), x, cache, s);
                    chain[s] = parent;
                }
                cache.advance(T);
                logits = backend.logits(x, true);
            }
            int vocab = backend.config().vocabSize();
            int[] out = new int[maxNewTokens];
            int produced = 0;
            while (true) {
                int next = Sampler.argmax(logits, logits.length - vocab, vocab);
                out[produced++] = next;
                if (stopTokens.contains(next) || produced == maxNewTokens) break;
                logits = step(path, chain, cache, out, produced - 1);
            }
            return Arrays.copyOf(out, produced);
        }
    }

    /** Feeds generated token {@code tokens[j]} at position T + j along the path; returns its logits. */
    private float[] step(LayerPath path, Node[] chain, KvCache cache, int[] tokens, int j) {
        int n = path.length();
        int rows = prompt.length + j + 1;
        int k = 0;
        if (reusePrefixes) {
            while (k < n && chain[k] != null && chain[k].matches(tokens, j)) {
                backend.copySlot(chain[k].kv, 0, cache, k, rows);
                k++;
            }
        }
        stepSlotsReused += k;
        try (Hidden x = k == 0 ? backend.embed(new int[]{tokens[j]}) : backend.copy(chain[k - 1].steps.get(j))) {
            boolean store = reusePrefixes;
            for (int s = k; s < n; s++) {
                backend.block(path.layer(s), x, cache, s);
                stepSlotsComputed++;
                Node nd = chain[s];
                store = store && nd != null && nd.extendable(tokens, j) && usedBytes + stepBytes <= budgetBytes;
                if (store) {
                    nd.fed[j] = tokens[j];
                    nd.steps.add(backend.copy(x));
                    backend.copySlot(cache, s, nd.kv, 0, rows);
                    usedBytes += stepBytes;
                }
            }
            cache.advance(1);
            return backend.logits(x, true);
        }
    }

    /** Stores the prompt state after slot {@code s} under {@code parent}; returns the new node, or null once the budget is spent. */
    private Node rememberPrompt(Node parent, int layer, Hidden x, KvCache cache, int s) {
        if (parent == null || usedBytes + promptBytes > budgetBytes) return null;
        KvCache kv = backend.newCache(1, prompt.length + maxNewTokens);
        backend.copySlot(cache, s, kv, 0, prompt.length);
        Node child = new Node(backend.copy(x), kv, maxNewTokens);
        parent.children.put(layer, child);
        stored.add(child);
        usedBytes += promptBytes;
        return child;
    }

    /** Prompt slots computed so far (the prefill work the trie could not spare). */
    public long promptSlotsComputed() { return promptSlotsComputed; }

    /** Prompt slots copied from the trie instead of computed. */
    public long promptSlotsReused() { return promptSlotsReused; }

    /** Slots run for generated tokens. */
    public long stepSlotsComputed() { return stepSlotsComputed; }

    /** Slots of generated tokens copied from the trie. */
    public long stepSlotsReused() { return stepSlotsReused; }

    public long runs() { return runs; }

    @Override
    public void close() {
        for (Node n : stored) {
            n.prompt.close();
            n.kv.close();
            for (Hidden h : n.steps) h.close();
        }
        stored.clear();
        root.children.clear();
    }
}
