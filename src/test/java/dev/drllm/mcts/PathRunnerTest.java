package dev.drllm.mcts;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PathRunnerTest {
    /** Prefix reuse must not change a single token: the reused floats are the ones a full run recomputes. */
    @Test
    void prefixReuseMatchesFullRunsAndTheGenerator() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            int L = m.config().numLayers();
            SplittableRandom r = new SplittableRandom(3);
            int[] prompt = new int[24];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 1 + r.nextInt(m.config().vocabSize() - 1);
            // a walk of single edits, as MCTS produces them, so prefixes are shared
            List<LayerPath> paths = new ArrayList<>();
            LayerPath p = LayerPath.full(L);
            paths.add(p);
            for (int i = 0; i < 12; i++) {
                List<LayerPath> e = Mcts.edits(p);
                p = e.get(r.nextInt(e.size()));
                paths.add(p);
            }
            paths.add(LayerPath.full(L));
            int maxNew = 8;
            try (PathRunner cached = new PathRunner(b, prompt, maxNew, m.stopTokens(), true, 1L << 30);
                 PathRunner plain = new PathRunner(b, prompt, maxNew, m.stopTokens(), false, 0);
                 PathRunner tight = new PathRunner(b, prompt, maxNew, m.stopTokens(), true, 5 * 4L * (prompt.length * (192 + 128) + 2 * 8 * 64))) {
                Generator g = new Generator(b);
                for (LayerPath q : paths) {
                    int[] want = g.generate(prompt, Prefill.fixed(q), GenerationOptions.greedy(maxNew, m.stopTokens())).ids();
                    assertArrayEquals(want, plain.generate(q), "uncached, path " + q);
                    assertArrayEquals(want, cached.generate(q), "cached, path " + q);
                    assertArrayEquals(want, tight.generate(q), "cached with a 5-node budget, path " + q);
                }
                assertTrue(cached.promptSlotsReused() > cached.promptSlotsComputed(),
                        "reused " + cached.promptSlotsReused() + " computed " + cached.promptSlotsComputed());
                assertTrue(cached.stepSlotsReused() > 0, "decode steps reuse slots while the generated tokens agree");
                assertEquals(0, plain.promptSlotsReused() + plain.stepSlotsReused());
                assertTrue(tight.promptSlotsReused() > 0);
            }
        }
    }

    /** The same check along the branching order a real search visits paths in, for several prompts. */
    @Test
    void prefixReuseMatchesAlongASearch() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            int L = m.config().numLayers();
            SplittableRandom r = new SplittableRandom(11);
            for (int trial = 0; trial < 2; trial++) {
                int[] prompt = new int[6 + r.nextInt(12)];
                for (int i = 0; i < prompt.length; i++) prompt[i] = 1 + r.nextInt(m.config().vocabSize() - 1);
                try (PathRunner cached = new PathRunner(b, prompt, 4, m.stopTokens(), true, 1L << 30);
                     PathRunner plain = new PathRunner(b, prompt, 4, m.stopTokens(), false, 0)) {
                    long salt = r.nextLong();
                    // a reward that never stops the search early, so all simulations run
                    new Mcts(MctsConfig.paper().withSimulations(16)).search(L, p -> {
                        assertArrayEquals(plain.generate(p), cached.generate(p), "path " + p);
                        return false;
                    }, salt);
                    assertTrue(cached.promptSlotsReused() > 0);
                }
            }
        }
    }
}
