package dev.drllm.train;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.routing.DecisionRule;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetCalibrationTest {
    /** Baking offsets into linear2.bias routes exactly like the same decision bias on the original routers. */
    @Test
    void bakedOffsetsEqualTheDecisionBias() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 2)) {
            int L = m.config().numLayers();
            Routers r = Routers.xavier(L, m.config().hiddenSize(), 128, 8, 5);
            PathExecutor ex = new PathExecutor(b);
            Random rnd = new Random(2);
            int differentFromArgmax = 0;
            for (float[] off : new float[][]{{0.3f, -0.2f}, {-1f, 0.5f}, {2f, 1f}}) {
                Routers baked = OffsetCalibration.bake(r, off[0], off[1]);
                for (int trial = 0; trial < 3; trial++) {
                    int[] prompt = new int[5 + rnd.nextInt(20)];
                    for (int i = 0; i < prompt.length; i++) prompt[i] = 1 + rnd.nextInt(500);
                    LayerPath biased = path(ex, new RoutedPrefill(r, DecisionRule.argmax().withBias(off[0], off[1])), prompt, L);
                    LayerPath viaBake = path(ex, new RoutedPrefill(baked, DecisionRule.argmax()), prompt, L);
                    assertEquals(biased, viaBake);
                    if (!biased.equals(path(ex, new RoutedPrefill(r, DecisionRule.argmax()), prompt, L))) differentFromArgmax++;
                }
            }
            assertTrue(differentFromArgmax > 0, "the offsets never changed a decision: the test would prove nothing");
        }
    }

    private static LayerPath path(PathExecutor ex, RoutedPrefill p, int[] prompt, int L) {
        try (KvCache c = ex.backend().newCache(2 * L, prompt.length)) {
            return p.run(ex, prompt, c).path();
        }
    }

    @Test
    void prefersTheBestWorstTaskThenTotalThenFewerLayers() {
        var a = new OffsetCalibration.Candidate(0, 0, new double[]{0.9, 0.7}, new double[]{30, 60}, -0.01, 0.02, 45);
        var b = new OffsetCalibration.Candidate(-1, 0, new double[]{0.91, 0.69}, new double[]{31, 62}, 0.0, 0.0, 46.5);
        var c = new OffsetCalibration.Candidate(-2, 0, new double[]{0.91, 0.69}, new double[]{32, 64}, 0.0, 0.0, 48);
        assertTrue(OffsetCalibration.better(b, a));
        assertTrue(OffsetCalibration.better(b, c));
        assertTrue(!OffsetCalibration.better(c, b));
    }
}
