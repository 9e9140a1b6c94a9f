package dev.drllm.routing;

import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Property tests (seeded random loops) for decisions, biases and the path-length cap. */
class RoutingPolicyTest {
    @Test
    void argmaxBiasAndTies() {
        DecisionRule p = DecisionRule.argmax();
        assertEquals(1, p.decide(new float[]{0, 1, 0}));
        assertEquals(2, p.decide(new float[]{0, 1, 2}));
        assertEquals(0, p.decide(new float[]{1, 1, 1}), "ties go to the lowest class, as torch.argmax");
        assertEquals(0, p.withBias(1.5f, 0).decide(new float[]{0, 1, 0}));
        assertEquals(1, p.withBias(0, -3).decide(new float[]{0, 1, 2}));
        assertEquals(1, DecisionRule.staticAll().decide(new float[]{9, 0, 9}));
        assertThrows(IllegalStateException.class, () -> p.decide(new float[]{Float.NaN, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new DecisionRule(true, 1, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new DecisionRule(false, Float.NaN, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new DecisionRule(false, 0, 0, -2));
    }

    @Test
    void capDropsLeastConfidentRepeatsThenExecutes() {
        float[][] logits = {
                {0, 1, 3},    // repeat, confident
                {0, 1, 1.2f}, // repeat, barely
                {0, 2, 0},    // execute, confident
                {0.9f, 1, 0}, // execute, barely (p(skip) high)
                {5, 0, 0},    // skip
        };
        int[] counts = {2, 2, 1, 1, 0};
        DecisionRule p = DecisionRule.argmax();
        for (int l = 0; l < 5; l++) assertEquals(counts[l], p.decide(logits[l]));
        assertArrayEquals(counts, p.withMaxPath(6).cap(counts, logits));
        assertArrayEquals(new int[]{2, 1, 1, 1, 0}, p.withMaxPath(5).cap(counts, logits));
        assertArrayEquals(new int[]{1, 1, 1, 1, 0}, p.withMaxPath(4).cap(counts, logits));
        assertArrayEquals(new int[]{1, 1, 1, 0, 0}, p.withMaxPath(3).cap(counts, logits));
        assertArrayEquals(new int[]{0, 0, 0, 0, 0}, p.withMaxPath(0).cap(counts, logits));
    }

    @Test
    void capProperties() {
        Random rnd = new Random(1234);
        for (int it = 0; it < 2000; it++) {
            int L = 1 + rnd.nextInt(40);
            float[][] logits = new float[L][3];
            for (float[] row : logits) for (int k = 0; k < 3; k++) row[k] = (float) (rnd.nextGaussian() * 3);
            DecisionRule p = new DecisionRule(false, (float) rnd.nextGaussian(), (float) rnd.nextGaussian(),
                    rnd.nextInt(4) == 0 ? DecisionRule.NO_CAP : rnd.nextInt(2 * L + 2));
            int[] counts = new int[L];
            for (int l = 0; l < L; l++) counts[l] = p.decide(logits[l]);
            int[] capped = p.cap(counts, logits);
            LayerPath path = LayerPath.fromCounts(capped);
            LayerPath.validate(L, path.layers()); // non-decreasing, each layer at most twice
            int before = LayerPath.fromCounts(counts).length();
            if (p.capped()) {
                assertTrue(path.length() <= p.maxPath(), "cap exceeded: " + path.length() + " > " + p.maxPath());
                // the cap removes only what it must
                assertEquals(Math.min(before, p.maxPath()), path.length());
            } else {
                assertArrayEquals(counts, capped);
            }
            for (int l = 0; l < L; l++) assertTrue(capped[l] <= counts[l], "the cap never adds runs");
            // repeats go before any execute is skipped
            boolean anySkippedExecute = false, anyRepeatLeft = false;
            for (int l = 0; l < L; l++) {
                if (counts[l] >= 1 && capped[l] == 0) anySkippedExecute = true;
                if (capped[l] == 2) anyRepeatLeft = true;
            }
            assertTrue(!(anySkippedExecute && anyRepeatLeft), "an execute was skipped while a repeat remained");
        }
    }

    @Test
    void positiveSkipBiasNeverLengthensThePath() {
        Random rnd = new Random(77);
        for (int it = 0; it < 2000; it++) {
            float[] z = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian()};
            int base = DecisionRule.argmax().decide(z);
            float b = rnd.nextFloat() * 4;
            int skipBiased = DecisionRule.argmax().withBias(b, 0).decide(z);
            assertTrue(skipBiased == base || skipBiased == Router.SKIP, "a skip bias can only turn decisions into skips");
            int repeatSuppressed = DecisionRule.argmax().withBias(0, -b).decide(z);
            assertTrue(repeatSuppressed == base || base == Router.REPEAT, "a negative repeat bias only changes repeats");
        }
    }
}
