package dev.drllm.runtime;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    static final int[] PROMPT = {1, 5, 9, 33, 12};

    @Test
    void contextGuard() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            Generator g = new Generator(b);
            ContextLengthException e = assertThrows(ContextLengthException.class,
                    () -> g.generate(PROMPT, Prefill.fixed(LayerPath.full(16)), GenerationOptions.greedy(300, Set.of())));
            assertTrue(e.getMessage().contains("256"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.generate(new int[0], Prefill.fixed(LayerPath.full(16)), GenerationOptions.greedy(3, Set.of())));
        }
    }

    @Test
    void stopsOnStopToken() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            Generator g = new Generator(b);
            GenerationResult free = g.generate(PROMPT, Prefill.fixed(LayerPath.full(16)), GenerationOptions.greedy(8, Set.of()));
            int first = free.ids()[0];
            GenerationResult stopped = g.generate(PROMPT, Prefill.fixed(LayerPath.full(16)), GenerationOptions.greedy(8, Set.of(first)));
            assertArrayEquals(new int[]{first}, stopped.ids());
            assertEquals(GenerationResult.StopReason.STOP_TOKEN, stopped.stopReason());
            assertEquals(Set.of(0), m.stopTokens());
        }
    }

    @Test
    void samplingIsSeededAndTopPOfZeroIsGreedy() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            Generator g = new Generator(b);
            Prefill full = Prefill.fixed(LayerPath.full(16));
            GenerationOptions s1 = new GenerationOptions(12, 1.5f, 0.95f, 42, Set.of());
            int[] a = g.generate(PROMPT, full, s1).ids();
            int[] a2 = g.generate(PROMPT, full, s1).ids();
            int[] c = g.generate(PROMPT, full, new GenerationOptions(12, 1.5f, 0.95f, 43, Set.of())).ids();
            assertArrayEquals(a, a2);
            assertFalse(java.util.Arrays.equals(a, c), "different seeds should differ at temperature 1.5");
            int[] greedy = g.generate(PROMPT, full, GenerationOptions.greedy(12, Set.of())).ids();
            int[] nucleusOfOne = g.generate(PROMPT, full, new GenerationOptions(12, 1f, 1e-6f, 5, Set.of())).ids();
            assertArrayEquals(greedy, nucleusOfOne);
        }
    }

    /** Decoding token by token with the KV cache equals recomputing the whole sequence, on a path with a repeat. */
    @Test
    void incrementalDecodeMatchesFullRecompute() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            LayerPath path = LayerPath.parse(16, "0,1,2,2,3,5,6,7,8,9,10,10,11,12,13,14,15");
            GenerationResult r = new Generator(b).generate(PROMPT, Prefill.fixed(path), GenerationOptions.greedy(6, Set.of()));
            int[] all = new int[PROMPT.length + r.ids().length - 1];
            System.arraycopy(PROMPT, 0, all, 0, PROMPT.length);
            System.arraycopy(r.ids(), 0, all, PROMPT.length, r.ids().length - 1);
            PathExecutor ex = new PathExecutor(b);
            try (KvCache c = b.newCache(path.length(), all.length)) {
                float[] logits = ex.forward(all, path, c, false);
                int V = m.config().vocabSize();
                for (int i = 0; i < r.ids().length; i++) {
                    assertEquals(r.ids()[i], Sampler.argmax(logits, (PROMPT.length - 1 + i) * V, V), "token " + i);
                }
            }
        }
    }
}
