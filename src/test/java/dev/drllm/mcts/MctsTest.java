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
}
