package dev.drllm.mcts;

import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

class MctsTest {
    /** Records every path the search asks about. */
    private static final class Recording implements PathEvaluator {
        final Predicate<LayerPath> reward;
        final List<LayerPath> asked = new ArrayList<>();

        Recording(Predicate<LayerPath> reward) { this.reward = reward; }

        @Override
        public boolean correct(LayerPath path) {
            asked.add(path);
            return reward.test(path);
        }
    }

    private static void assertInvariants(LayerPath p, int L) {
        int[] layers = p.layers();
        int[] counts = new int[L];
        for (int i = 0; i < layers.length; i++) {
            assertTrue(layers[i] >= 0 && layers[i] < L, p.toString());
            if (i > 0) assertTrue(layers[i] >= layers[i - 1], "non-decreasing: " + p);
            assertTrue(++counts[layers[i]] <= 2, "each layer at most twice: " + p);
        }
        assertTrue(layers.length <= 2 * L, "length <= 2L: " + p);
    }

    @Test
    void editsAreTheActionsAndKeepTheInvariants() {
        assertEquals(4 + 3 + 4, Mcts.edits(LayerPath.full(4)).size());
        // [0,0,1]: skipping either copy of 0 gives the same path; 0 cannot be repeated a third time
        List<LayerPath> e = Mcts.edits(LayerPath.of(4, 0, 0, 1));
        assertEquals(Set.of(LayerPath.of(4, 0, 1), LayerPath.of(4, 1), LayerPath.of(4, 0, 0), LayerPath.of(4, 0), LayerPath.of(4, 0, 0, 1, 1)),
                new HashSet<>(e));
        assertEquals(e.size(), new HashSet<>(e).size());
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 300; trial++) {
            int L = 1 + r.nextInt(12);
            int[] counts = new int[L];
            for (int l = 0; l < L; l++) counts[l] = r.nextInt(3);
            LayerPath p = LayerPath.fromCounts(counts);
            for (LayerPath q : Mcts.edits(p)) {
                assertInvariants(q, L);
                assertNotEquals(p, q);
                assertTrue(Math.abs(q.length() - p.length()) <= 2);
            }
        }
    }

    @Test
    void deterministicForASeedAndKeepsInvariants() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 60; trial++) {
            int L = 4 + r.nextInt(29);
            long salt = r.nextLong();
            double rate = r.nextDouble();
            // a stub reward that is an arbitrary but fixed function of the path
            Predicate<LayerPath> reward = p -> new SplittableRandom(p.hashCode() ^ salt).nextDouble() < rate;
            long seed = r.nextLong();
            Mcts mcts = new Mcts(MctsConfig.paper());
            Recording a = new Recording(reward), b = new Recording(reward);
            MctsResult ra = mcts.search(L, a, seed), rb = mcts.search(L, b, seed);
            assertEquals(a.asked, b.asked, "same seed, same sequence of evaluated paths");
            assertEquals(ra, rb);
            assertEquals(LayerPath.full(L), a.asked.getFirst(), "the first evaluation is the original path");
            assertEquals(a.asked.size(), new HashSet<>(a.asked).size(), "each path evaluated once");
            assertEquals(ra.evaluations(), a.asked.size());
            assertTrue(ra.simulations() <= 50 && ra.simulations() >= 1);
            for (LayerPath p : a.asked) assertInvariants(p, L);
            List<LayerPath> good = a.asked.stream().filter(reward).toList();
            assertEquals(good, ra.goodPaths());
            assertEquals(reward.test(LayerPath.full(L)), ra.originalCorrect());
            if (good.isEmpty()) {
                assertNull(ra.best());
                assertEquals(50, ra.simulations(), "no early stop without a correct path");
            } else {
                LayerPath best = ra.best();
                for (LayerPath g : good) {
                    assertTrue(best.length() < g.length() || (best.length() == g.length() && best.distinctLayers() <= g.distinctLayers()),
                            best + " preferred over " + g);
                }
            }
            boolean stoppedEarly = ra.simulations() < 50;
            boolean fix = !ra.originalCorrect() && !good.isEmpty();
            boolean saved2 = good.stream().anyMatch(p -> p.length() <= L - 2);
            if (stoppedEarly) assertTrue(fix || saved2, "an early stop needs a fix or a path two shorter");
        }
    }

    @Test
    void seedsChangeTheSearch() {
        Predicate<LayerPath> reward = p -> p.length() >= 15;
        Set<List<LayerPath>> seen = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            Recording rec = new Recording(reward);
            new Mcts(MctsConfig.paper()).search(16, rec, seed);
            seen.add(rec.asked);
        }
        assertTrue(seen.size() > 1);
    }

    @Test
    void stopsAtTheFirstFix() {
        // wrong at full depth; correct whenever layer 3 runs twice
        Predicate<LayerPath> reward = p -> p.counts()[3] == 2;
        for (long seed = 0; seed < 20; seed++) {
            Recording rec = new Recording(reward);
            MctsResult r = new Mcts(MctsConfig.paper()).search(8, rec, seed);
            assertFalse(r.originalCorrect());
            if (r.solved()) {
                assertTrue(r.fixed());
                assertTrue(reward.test(rec.asked.getLast()), "the search ends on the fixing path");
                assertEquals(1, r.goodPaths().size());
            }
        }
    }

    @Test
    void stopsWhenACorrectPathIsTwoShorter() {
        Predicate<LayerPath> always = p -> true;
        for (long seed = 0; seed < 20; seed++) {
            Recording rec = new Recording(always);
            MctsResult r = new Mcts(MctsConfig.paper()).search(16, rec, seed);
            assertTrue(r.originalCorrect());
            assertTrue(r.best().length() <= 14, r.toString());
            assertTrue(r.simulations() < 50);
            assertEquals(r.best(), rec.asked.getLast(), "the search ends on the first path two shorter");
            for (LayerPath p : rec.asked.subList(0, rec.asked.size() - 1)) assertTrue(p.length() > 14);
        }
    }

    @Test
    void lengthPenaltySteersTowardsShorterPaths() {
        // correct iff the first and the last layer run
        Predicate<LayerPath> reward = p -> p.counts()[0] >= 1 && p.counts()[p.numLayers() - 1] >= 1;
        int saved = 0;
        for (long seed = 0; seed < 10; seed++) {
            MctsResult r = new Mcts(MctsConfig.paper()).search(12, new Recording(reward), seed);
            saved += 12 - r.best().length();
        }
        assertTrue(saved >= 20, "every seed should find a path at least two shorter, saved " + saved);
    }

    // ---- the method's constants, pinned: each test below fails when its constant or formula changes ----

    @Test
    void paperConstants() {
        MctsConfig c = MctsConfig.paper();
        assertEquals(50, c.simulations(), "simulations per question");
        assertEquals(1.8, c.exploration(), 0.0, "UCB exploration c");
        assertEquals(3.0, c.lengthPenalty(), 0.0, "length penalty lambda");
        assertEquals(0.1, c.randomPick(), 0.0, "probability of a random child");
    }

    @Test
    void ucbIsMeanRewardPlusExplorationMinusNormalisedLengthPenalty() {
        // Q/n + c*sqrt(ln N_parent / n) - lambda*|path|/L with the paper's c = 1.8, lambda = 3.0
        double expected = 3.0 / 4 + 1.8 * Math.sqrt(Math.log(10) / 4) - 3.0 * 14 / 16;
        assertEquals(expected, Mcts.ucb(MctsConfig.paper(), 3, 4, 10, 14, 16), 1e-12);
        // the penalty is per layer of the model: the same path share costs the same at any depth
        assertEquals(Mcts.ucb(MctsConfig.paper(), 1, 2, 5, 14, 16), Mcts.ucb(MctsConfig.paper(), 1, 2, 5, 28, 32), 1e-12);
        assertEquals(1.0 + 1.8 * Math.sqrt(Math.log(7) / 1) - 3.0, Mcts.ucb(MctsConfig.paper(), 1, 1, 7, 16, 16), 1e-12);
    }

    /** A node with the given statistics and no untried edits, so selection walks through it. */
    private static Mcts.Node node(Mcts.Node parent, LayerPath path, int visits, double reward) {
        Mcts.Node n = new Mcts.Node(path, parent, new SplittableRandom(0));
        n.untried.clear();
        n.visits = visits;
        n.reward = reward;
        if (parent != null) parent.children.add(n);
        return n;
    }

    @Test
    void selectionUsesTheParentsVisitCount() {
        MctsConfig noRandom = new MctsConfig(50, 1.8, 3.0, 0.0);
        Mcts mcts = new Mcts(noRandom);
        Mcts.Node root = node(null, LayerPath.full(16), 100, 60);
        Mcts.Node a = node(root, LayerPath.of(16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), 4, 3);
        // same path length: only the exploration term tells them apart
        Mcts.Node b = node(a, LayerPath.of(16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 1, 0);
        Mcts.Node c = node(a, LayerPath.of(16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), 3, 3);
        // under N = a's 4 visits c scores 2.22 against b's 2.12; under the root's (global) 100, b would win 3.86 to 3.23
        assertTrue(Mcts.ucb(noRandom, 3, 3, 4, 14, 16) > Mcts.ucb(noRandom, 0, 1, 4, 14, 16));
        assertTrue(Mcts.ucb(noRandom, 3, 3, 100, 14, 16) < Mcts.ucb(noRandom, 0, 1, 100, 14, 16));
        assertSame(c, mcts.select(root, new SplittableRandom(1)));
        assertNotSame(b, mcts.select(root, new SplittableRandom(2)));
    }

    @Test
    void selectionPrefersTheShorterPathAtEqualStatistics() {
        Mcts mcts = new Mcts(new MctsConfig(50, 1.8, 3.0, 0.0));
        Mcts.Node root = node(null, LayerPath.full(16), 3, 2);
        node(root, LayerPath.of(16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), 1, 1);
        Mcts.Node shorter = node(root, LayerPath.of(16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 1, 1);
        assertSame(shorter, mcts.select(root, new SplittableRandom(3)));
    }

    @Test
    void aRandomChildIsPickedWithProbabilityOneTenth() {
        Mcts mcts = new Mcts(MctsConfig.paper());
        Mcts.Node root = node(null, LayerPath.full(4), 20, 10);
        Mcts.Node good = node(root, LayerPath.of(4, 0, 1, 2), 10, 10);
        Mcts.Node bad = node(root, LayerPath.of(4, 0, 1, 3), 10, 0);
        assertTrue(Mcts.ucb(MctsConfig.paper(), 10, 10, 20, 3, 4) > Mcts.ucb(MctsConfig.paper(), 0, 10, 20, 3, 4) + 0.5);
        SplittableRandom rng = new SplittableRandom(42);
        int n = 40_000, badPicks = 0;
        for (int i = 0; i < n; i++) if (mcts.select(root, rng) == bad) badPicks++;
        // a uniform pick among the two children half the time it happens: 0.1 / 2 = 5% (± 0.11% s.d. at this n)
        double share = (double) badPicks / n;
        assertEquals(0.05, share, 0.004, "share of selections of the worse child");
        assertNotNull(good);
    }

    @Test
    void noEarlyStopForACorrectPathOnlyOneShorter() {
        // correct on the full path and on every path at most one entry shorter: saving one block is not enough to stop
        Predicate<LayerPath> reward = p -> p.length() >= 15;
        for (long seed = 0; seed < 5; seed++) {
            MctsResult r = new Mcts(MctsConfig.paper()).search(16, new Recording(reward), seed);
            assertEquals(50, r.simulations(), "the whole budget is spent");
            assertEquals(15, r.best().length());
        }
    }

    @Test
    void noEarlyStopWithoutAnyCorrectPathAndTheBudgetIsFifty() {
        Recording rec = new Recording(p -> false);
        MctsResult r = new Mcts(MctsConfig.paper()).search(16, rec, 3);
        assertEquals(50, r.simulations());
        assertFalse(r.solved());
    }
}
