package dev.drllm.train;

import dev.drllm.Fixtures;
import dev.drllm.model.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FocalLossTest {
    /** The counts the fixtures' class weights were computed from (fixtures README). */
    private static final long[] FIXTURE_COUNTS = {4399, 120956, 1457};

    @Test
    void matchesEveryFixture() {
        for (String name : Fixtures.HF_MODELS) {
            try (SafetensorsFile ref = Fixtures.reference(name)) {
                float[] logits = ref.get("focal.logits").toFloatArray();
                long[] t = ref.get("focal.targets").toLongArray();
                int[] targets = new int[t.length];
                for (int i = 0; i < t.length; i++) targets[i] = Math.toIntExact(t[i]);
                float[] refWeights = ref.get("focal.class_weights").toFloatArray();
                float[] weights = FocalLoss.effectiveNumberWeights(FIXTURE_COUNTS, FocalLoss.PAPER_BETA);
                // torch computed the weights in float32; ours are double rounded once: ~1 ulp of 1.0.
                assertArrayEquals(refWeights, weights, 1e-5f, name + ": class weights");
                FocalLoss fl = new FocalLoss(FocalLoss.PAPER_GAMMA, weights);
                float[] grad = new float[logits.length];
                double loss = fl.lossAndGrad(logits, targets, targets.length, grad);
                // float32 reference over 64 rows vs our double accumulation: agreement to ~1e-6 relative.
                assertEquals(ref.get("focal.loss").toFloatArray()[0], loss, 1e-5, name + ": loss");
                assertTrue(Fixtures.maxAbsDiff(ref.get("focal.grad").toFloatArray(), grad) < 1e-6f, name + ": grad");
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rnd.nextInt(9);
            double gamma = trial % 4 == 0 ? 0 : rnd.nextDouble() * 3;
            float[] w = {0.5f + rnd.nextFloat(), 0.5f + rnd.nextFloat(), 0.5f + rnd.nextFloat()};
            FocalLoss fl = new FocalLoss(gamma, w);
            float[] z = new float[n * 3];
            int[] t = new int[n];
            for (int i = 0; i < z.length; i++) z[i] = (float) (rnd.nextGaussian() * 3);
            for (int i = 0; i < n; i++) t[i] = rnd.nextInt(3);
            float[] g = new float[z.length];
            fl.lossAndGrad(z, t, n, g);
            for (int i = 0; i < z.length; i++) {
                float saved = z[i];
                // Central differences in float inputs with h = 1e-2: truncation error O(h²)·|f'''| ≈ 1e-4.
                float h = 1e-2f;
                z[i] = saved + h;
                double up = fl.lossAndGrad(z, t, n, null);
                z[i] = saved - h;
                double down = fl.lossAndGrad(z, t, n, null);
                z[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, g[i], 2e-4 + 1e-3 * Math.abs(numeric), "trial " + trial + " element " + i);
            }
        }
    }

    @Test
    void gammaZeroIsWeightedCrossEntropy() {
        float[] w = {2f, 0.5f, 0.5f};
        FocalLoss fl = new FocalLoss(0, w);
        float[] z = {1, 2, 3, 0, 0, 0};
        double loss = fl.lossAndGrad(z, new int[]{0, 1}, 2, null);
        double ce0 = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        double ce1 = Math.log(3);
        assertEquals((2 * ce0 + 0.5 * ce1) / 2, loss, 1e-9);
    }

    @Test
    void weightsFavourRareClassesAndSumToThree() {
        float[] w = FocalLoss.effectiveNumberWeights(new long[]{10, 10000, 100}, 0.999);
        assertEquals(3.0, w[0] + w[1] + w[2], 1e-5);
        assertTrue(w[0] > w[2] && w[2] > w[1]);
        float[] equal = FocalLoss.effectiveNumberWeights(new long[]{5, 5, 5}, 0.999);
        assertArrayEquals(new float[]{1, 1, 1}, equal, 1e-6f);
        float[] absent = FocalLoss.effectiveNumberWeights(new long[]{0, 100, 100}, 0.999);
        assertArrayEquals(new float[]{0, 1.5f, 1.5f}, absent, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> FocalLoss.effectiveNumberWeights(new long[]{0, 0, 0}, 0.999));
        assertThrows(IllegalArgumentException.class, () -> FocalLoss.effectiveNumberWeights(new long[]{1, 2, 3}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new FocalLoss(2, new float[]{1, 1, 1}).lossAndGrad(new float[3], new int[]{3}, 1, null));
    }
}
