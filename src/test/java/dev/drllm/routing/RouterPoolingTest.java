package dev.drllm.routing;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The router MLP and the reference windowing, checked against direct hand computations. */
class RouterPoolingTest {
    @Test
    void geluIsTheTanhApproximation() {
        // tanh-GELU(1) = 0.841192, erf-GELU(1) = 0.841345: 1e-6 separates the two
        assertEquals(0.8411920f, Router.gelu(1f), 1e-6f);
        assertEquals(-0.1588080f, Router.gelu(-1f), 1e-6f);
        assertEquals(0f, Router.gelu(0f));
        assertEquals(3f, Router.gelu(3f), 4e-3f);
    }

    @Test
    void routerIsLinearGeluLinear() {
        Random rnd = new Random(5);
        // widths that exercise the 4-vector, single-vector and scalar parts of the first layer
        for (int R : new int[]{5, 16, 37, 64, 128, 131}) for (int H : new int[]{7, 64}) checkAgainstDouble(rnd, H, R);
    }

    static void checkAgainstDouble(Random rnd, int H, int R) {
        float[] w1 = rnd(rnd, R * H), b1 = rnd(rnd, R), w2 = rnd(rnd, 3 * R), b2 = rnd(rnd, 3), x = rnd(rnd, H);
        Router r = new Router(H, R, w1, b1, w2, b2);
        float[] got = r.logits(x, 0);
        for (int k = 0; k < 3; k++) {
            double acc = b2[k];
            for (int j = 0; j < R; j++) {
                double h = b1[j];
                for (int i = 0; i < H; i++) h += (double) w1[j * H + i] * x[i];
                double g = 0.5 * h * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (h + 0.044715 * h * h * h)));
                acc += w2[k * R + j] * g;
            }
            assertEquals(acc, got[k], 1e-4 * Math.max(1, Math.abs(acc)), "H=" + H + " R=" + R);
        }
    }

    @Test
    void windowsFollowTheReference() {
        int H = 2;
        // T = 10, W = 4: nw = 4, ws = 2, tokens 8 and 9 are dropped
        float[] x = new float[10 * H];
        for (int t = 0; t < 10; t++) {
            x[t * H] = t;
            x[t * H + 1] = 100 * t;
        }
        WindowPooling p = WindowPooling.windowed(4);
        assertEquals(4, p.windowCount(10));
        assertEquals(2, p.windowSize(10));
        assertArrayEquals(new float[]{0.5f, 50, 2.5f, 250, 4.5f, 450, 6.5f, 650}, p.windowMeans(x, 10, H));
        // T < W: one token per window
        WindowPooling p8 = WindowPooling.windowed(8);
        assertEquals(3, p8.windowCount(3));
        assertArrayEquals(java.util.Arrays.copyOf(x, 3 * H), p8.windowMeans(java.util.Arrays.copyOf(x, 3 * H), 3, H));
        // T = 23, W = 8 (the fixtures): ws = 2, 16 tokens used
        assertEquals(2, p8.windowSize(23));
        // full mode: the mean of every token
        assertArrayEquals(new float[]{4.5f, 450}, WindowPooling.full().windowMeans(x, 10, H));
        assertThrows(IllegalArgumentException.class, () -> p8.windowCount(0));
        assertThrows(IllegalArgumentException.class, () -> WindowPooling.windowed(0));
    }

    @Test
    void logitsAreTheAverageOfPerWindowLogits() {
        Random rnd = new Random(9);
        int H = 6, R = 4, T = 13;
        Router r = new Router(H, R, rnd(rnd, R * H), rnd(rnd, R), rnd(rnd, 3 * R), rnd(rnd, 3));
        float[] x = rnd(rnd, T * H);
        WindowPooling p = WindowPooling.windowed(5);
        float[] means = p.windowMeans(x, T, H);
        float[] exp = new float[3];
        for (int w = 0; w < 5; w++) {
            float[] l = r.logits(means, w * H);
            for (int k = 0; k < 3; k++) exp[k] += l[k] / 5;
        }
        assertArrayEquals(exp, p.logits(r, x, T), 1e-6f);
    }

    /** Decisions must not flip between calls: the router's sums have a fixed order, JIT or not. */
    @Test
    void routerIsBitReproducibleAcrossJitTiers() {
        Random rnd = new Random(3);
        int H = 200, R = 32;
        Router r = new Router(H, R, rnd(rnd, R * H), rnd(rnd, R), rnd(rnd, 3 * R), rnd(rnd, 3));
        float[] x = rnd(rnd, H);
        float[] first = r.logits(x, 0);
        for (int i = 0; i < 20_000; i++) assertArrayEquals(first, r.logits(x, 0), "call " + i);
    }

    static float[] rnd(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
