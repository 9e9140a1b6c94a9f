package dev.drllm.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {
    @Test
    void firstStepMovesByLrTimesSignAndDecays() {
        // After one step Adam's bias-corrected update is lr·g/(|g|+eps) = ±lr; decay multiplies by (1 − lr·wd) first.
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.3f, -4f, 0f};
        AdamW opt = new AdamW(new float[][]{p}, 0.01);
        opt.step(new float[][]{p}, new float[][]{g}, 0.1);
        assertEquals(1 * (1 - 0.001) - 0.1, p[0], 1e-6);
        assertEquals(-2 * (1 - 0.001) + 0.1, p[1], 1e-6);
        assertEquals(0.5 * (1 - 0.001), p[2], 1e-6);
    }

    @Test
    void minimisesAQuadratic() {
        float[] p = {5f, -3f};
        AdamW opt = new AdamW(new float[][]{p}, 0.0);
        for (int i = 0; i < 2000; i++) {
            float[] g = {2 * (p[0] - 1), 2 * (p[1] + 2)};
            opt.step(new float[][]{p}, new float[][]{g}, 0.05);
        }
        assertEquals(1, p[0], 1e-2);
        assertEquals(-2, p[1], 1e-2);
    }

    @Test
    void scheduleWarmsUpThenDecaysToZero() {
        LrSchedule s = new LrSchedule(1e-3, 500, 3000);
        assertEquals(1e-3 / 500, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(499), 1e-12);
        assertEquals(5e-4, s.at(500 + 1250), 1e-9);
        assertTrue(s.at(2999) < 1e-8);
        for (int i = 500; i < 2999; i++) assertTrue(s.at(i + 1) <= s.at(i));
        // A run shorter than the warm-up still reaches the peak halfway.
        LrSchedule shortRun = new LrSchedule(1e-3, 500, 100);
        assertEquals(50, shortRun.effectiveWarmup());
        assertEquals(1e-3, shortRun.at(49), 1e-12);
    }
}
