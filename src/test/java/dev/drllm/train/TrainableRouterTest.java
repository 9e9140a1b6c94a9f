package dev.drllm.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainableRouterTest {
    @Test
    void backpropMatchesFiniteDifferences() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 4; trial++) {
            int hidden = 5 + rnd.nextInt(20), inner = 3 + rnd.nextInt(8), windows = 1 + rnd.nextInt(4), n = 1 + rnd.nextInt(3);
            TrainableRouter r = TrainableRouter.init(hidden, inner, rnd);
            for (int i = 0; i < r.b1.length; i++) r.b1[i] = (float) rnd.nextGaussian() * 0.3f;
            for (int i = 0; i < r.b2.length; i++) r.b2[i] = (float) rnd.nextGaussian() * 0.3f;
            float[] x = new float[n * windows * hidden];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            int[] t = new int[n];
            for (int i = 0; i < n; i++) t[i] = rnd.nextInt(3);
            FocalLoss fl = new FocalLoss(2, new float[]{1.2f, 0.6f, 1.2f});
            TrainableRouter.Gradients g = new TrainableRouter.Gradients(r);
            float[] logits = new float[n * 3];
            float[] dl = new float[n * 3];
            for (int i = 0; i < n; i++) r.forward(x, i * windows * hidden, windows, logits, i * 3, g);
            fl.lossAndGrad(logits, t, n, dl);
            // Half the examples recompute the pre-activations, half reuse the ones kept by forward.
            for (int i = 0; i < n; i++) {
                float[] kept = new float[windows * inner];
                if (i % 2 == 0) r.forward(x, i * windows * hidden, windows, new float[3], 0, g, kept);
                r.backward(x, i * windows * hidden, windows, dl, i * 3, g, i % 2 == 0 ? kept : null);
            }

            float[][] params = r.params();
            float[][] grads = g.params();
            for (int p = 0; p < params.length; p++) {
                for (int k = 0; k < 12; k++) {
                    int i = rnd.nextInt(params[p].length);
                    float saved = params[p][i];
                    // h = 1e-2 on O(1) weights in float: rounding ~1e-7/1e-2 and truncation O(h²) both < 1e-3.
                    float h = 1e-2f;
                    params[p][i] = saved + h;
                    double up = loss(r, fl, x, t, n, windows);
                    params[p][i] = saved - h;
                    double down = loss(r, fl, x, t, n, windows);
                    params[p][i] = saved;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, grads[p][i], 1e-3 + 1e-2 * Math.abs(numeric), "trial " + trial + " tensor " + p + " element " + i);
                }
            }
        }
    }

    private static double loss(TrainableRouter r, FocalLoss fl, float[] x, int[] t, int n, int windows) {
        TrainableRouter.Gradients s = new TrainableRouter.Gradients(r);
        float[] logits = new float[n * 3];
        for (int i = 0; i < n; i++) r.forward(x, i * windows * r.hidden(), windows, logits, i * 3, s);
        return fl.lossAndGrad(logits, t, n, null);
    }

    @Test
    void geluTanhValues() {
        // torch.nn.functional.gelu(x, approximate="tanh") at 1, -1, 3
        assertEquals(0.8411920071, dev.drllm.routing.Router.gelu(1f), 1e-6);
        assertEquals(-0.1588079929, dev.drllm.routing.Router.gelu(-1f), 1e-6);
        assertEquals(2.9963626862, dev.drllm.routing.Router.gelu(3f), 1e-6);
        for (float v = -5; v <= 5; v += 0.37f) {
            double numeric = (dev.drllm.routing.Router.gelu(v + 1e-3f) - dev.drllm.routing.Router.gelu(v - 1e-3f)) / 2e-3;
            assertEquals(numeric, dev.drllm.routing.Router.geluGrad(v), 2e-3);
        }
    }

    @Test
    void xavierBoundsAndZeroBiases() {
        TrainableRouter r = TrainableRouter.init(192, 128, new Random(1));
        double bound = Math.sqrt(6.0 / (192 + 128));
        for (float w : r.w1) assertTrue(Math.abs(w) <= bound);
        for (float b : r.b1) assertEquals(0f, b);
        for (float b : r.b2) assertEquals(0f, b);
    }
}
