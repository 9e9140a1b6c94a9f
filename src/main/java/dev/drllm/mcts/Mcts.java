package dev.drllm.mcts;

import dev.drllm.runtime.LayerPath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Length-aware Monte Carlo tree search over layer paths for one question (DESIGN.md §1).
 *
 * <p>Nodes are paths; the root is the full path. An action edits a path by skipping one or two
 * consecutive entries or by repeating one entry once, so every child keeps the {@link LayerPath}
 * invariants (non-decreasing, each layer at most twice, hence length ≤ 2L); a repeat is offered
 * only for a layer still present once (the released code can make a third copy). Each
 * simulation selects a node, maybe expands one child, evaluates its path (reward 1 when the
 * greedy answer is correct; each distinct path is evaluated once) and backs the reward up.
 *
 * <p>Selection follows the paper: with probability 0.1 a random child, otherwise the child with
 * the highest Q/n + c·sqrt(ln N/n) − λ·|path|/L, where N is the <em>parent's</em> visit count (the
 * released code uses the global simulation count) and L is the model's own depth (the released
 * code hard-codes 28 for every node but the root).
 *
 * <p>Expansion: the released code expands only childless nodes, so every node ends up with exactly
 * one child and the "tree" is a single random chain of edits in which UCB never has a choice. We
 * widen progressively instead: a visited node may hold up to ⌈√n⌉ children after n visits, which
 * keeps the search depth the early-stop rule needs (a correct path two entries shorter) while
 * letting UCB and the length penalty choose among siblings.
 *
 * <p>The search stops early when a path fixes a wrong full-depth answer, or when a correct path is
 * at least 2 entries shorter than L. Everything random draws from one generator seeded per
 * question, so a seed reproduces the search exactly.
 */
public final class Mcts {
    /** Shortest first; ties: fewer distinct layers, then lexicographic so the choice is deterministic. */
    public static final Comparator<LayerPath> PREFERENCE = Comparator.comparingInt(LayerPath::length)
            .thenComparingInt(LayerPath::distinctLayers)
            .thenComparing(LayerPath::layers, Arrays::compare);

    private final MctsConfig config;

    public Mcts(MctsConfig config) {
        this.config = config;
    }

    /** A search-tree node (package-private so tests can pin the selection rule on a hand-built tree). */
    static final class Node {
        final LayerPath path;
        final List<Node> children = new ArrayList<>();
        final List<LayerPath> untried;
        final Node parent;
        int visits;
        double reward;

        Node(LayerPath path, Node parent, SplittableRandom rng) {
            this.path = path;
            this.parent = parent;
            this.untried = edits(path);
            for (int i = untried.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                LayerPath t = untried.get(i);
                untried.set(i, untried.get(j));
                untried.set(j, t);
            }
        }

        boolean mayExpand() {
            return visits > 0 && !untried.isEmpty() && children.size() < Math.ceil(Math.sqrt(visits));
        }
    }

    /** Every distinct path one action away: skip 1 or 2 consecutive entries, or repeat one entry once. */
    public static List<LayerPath> edits(LayerPath path) {
        int[] p = path.layers();
        int n = p.length;
        int[] counts = path.counts();
        LinkedHashSet<LayerPath> out = new LinkedHashSet<>();
        for (int start = 0; start < n; start++) {
            for (int size = 1; size <= 2 && start + size <= n; size++) {
                int[] q = new int[n - size];
                System.arraycopy(p, 0, q, 0, start);
                System.arraycopy(p, start + size, q, start, n - start - size);
                out.add(LayerPath.of(path.numLayers(), q));
            }
        }
        for (int i = 0; i < n; i++) {
            if (counts[p[i]] >= 2) continue;
            int[] q = new int[n + 1];
            System.arraycopy(p, 0, q, 0, i + 1);
            System.arraycopy(p, i, q, i + 1, n - i);
            out.add(LayerPath.of(path.numLayers(), q));
        }
        out.remove(path);
        return new ArrayList<>(out);
    }

    /** Searches from the full path of depth {@code numLayers}; {@code seed} fixes every random choice. */
    public MctsResult search(int numLayers, PathEvaluator evaluator, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LayerPath full = LayerPath.full(numLayers);
        Map<LayerPath, Boolean> evaluated = new HashMap<>();
        List<LayerPath> good = new ArrayList<>();
        Node root = new Node(full, null, rng);
        boolean original = evaluate(full, evaluator, evaluated, good);
        int bestLength = original ? full.length() : Integer.MAX_VALUE;
        int sims = 0;
        while (sims < config.simulations()) {
            Node node;
            boolean reward;
            if (sims == 0) {
                node = root; // the first simulation is the root's own evaluation (the original answer)
                reward = original;
            } else {
                node = select(root, rng);
                if (node.mayExpand()) node = expand(node, rng);
                reward = evaluate(node.path, evaluator, evaluated, good);
            }
            sims++;
            if (reward) bestLength = Math.min(bestLength, node.path.length());
            for (Node n = node; n != null; n = n.parent) {
                n.visits++;
                n.reward += reward ? 1 : 0;
            }
            if (reward && !original) break;                    // a path fixed a wrong answer
            if (reward && bestLength + 2 <= numLayers) break;  // a correct path saves at least two blocks
        }
        LayerPath best = good.stream().min(PREFERENCE).orElse(null);
        return new MctsResult(original, best, good, sims, evaluated.size());
    }

    /**
     * Walks down from {@code root} while the node is fully expanded: with probability
     * {@link MctsConfig#randomPick()} a uniformly random child, otherwise the child of highest
     * {@link #ucb} under its parent's visit count.
     */
    Node select(Node root, SplittableRandom rng) {
        Node node = root;
        while (!node.children.isEmpty() && !node.mayExpand()) {
            if (rng.nextDouble() < config.randomPick()) {
                node = node.children.get(rng.nextInt(node.children.size()));
            } else {
                Node best = null;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (Node c : node.children) {
                    double s = c.visits == 0 ? Double.POSITIVE_INFINITY
                            : ucb(config, c.reward, c.visits, node.visits, c.path.length(), c.path.numLayers());
                    if (best == null || s > bestScore) {
                        best = c;
                        bestScore = s;
                    }
                }
                node = best;
            }
        }
        return node;
    }

    /**
     * The selection score of a visited child: Q/n + c·sqrt(ln N / n) − λ·|path|/L, with Q the child's
     * summed reward, n its visits, N its <em>parent's</em> visits and L the model's depth.
     */
    static double ucb(MctsConfig config, double reward, int visits, int parentVisits, int pathLength, int numLayers) {
        double exploit = reward / visits;
        double explore = config.exploration() * Math.sqrt(Math.log(parentVisits) / visits);
        double penalty = config.lengthPenalty() * pathLength / numLayers;
        return exploit + explore - penalty;
    }

    private static Node expand(Node node, SplittableRandom rng) {
        LayerPath next = node.untried.removeLast();
        Node child = new Node(next, node, rng);
        node.children.add(child);
        return child;
    }

    private static boolean evaluate(LayerPath path, PathEvaluator evaluator, Map<LayerPath, Boolean> evaluated, List<LayerPath> good) {
        Boolean r = evaluated.get(path);
        if (r == null) {
            r = evaluator.correct(path);
            evaluated.put(path, r);
            if (r) good.add(path);
        }
        return r;
    }
}
