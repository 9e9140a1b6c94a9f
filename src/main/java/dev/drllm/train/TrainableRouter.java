package dev.drllm.train;

import dev.drllm.cpu.CpuKernels;

import java.util.Random;

/**
 * One router's parameters with the forward pass and its backward pass, for training:
 * Linear(H→D) → GELU (tanh approximation) → Linear(D→3), run on each window mean and the window
 * logits averaged (DESIGN.md §1). The inference twin lives in {@code dev.drllm.routing}; this class
 * only adds what training needs (gradients, initialisation) over the same tensor layout:
 * {@code w1 [D,H]}, {@code b1 [D]}, {@code w2 [3,D]}, {@code b2 [3]}.
 */
public final class TrainableRouter {
    public static final int CLASSES = FocalLoss.CLASSES;
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    final int hidden;
    final int inner;
    final float[] w1, b1, w2, b2;

    public TrainableRouter(int hidden, int inner, float[] w1, float[] b1, float[] w2, float[] b2) {
        if (w1.length != inner * hidden || b1.length != inner || w2.length != CLASSES * inner || b2.length != CLASSES) {
            throw new IllegalArgumentException("router tensors do not match hidden " + hidden + " / inner " + inner);
        }
        this.hidden = hidden;
        this.inner = inner;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /** Xavier-uniform weights and zero biases, as the reference initialises its routers. */
    public static TrainableRouter init(int hidden, int inner, Random rnd) {
        float[] w1 = xavier(inner, hidden, rnd);
        float[] w2 = xavier(CLASSES, inner, rnd);
        return new TrainableRouter(hidden, inner, w1, new float[inner], w2, new float[CLASSES]);
    }

    private static float[] xavier(int out, int in, Random rnd) {
        double bound = Math.sqrt(6.0 / (in + out));
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return w;
    }

    public int hidden() { return hidden; }

    public int inner() { return inner; }

    public float[] w1() { return w1; }

    public float[] b1() { return b1; }

    public float[] w2() { return w2; }

    public float[] b2() { return b2; }

    /** Parameter tensors in a fixed order (w1, b1, w2, b2), shared with {@link Gradients} and the optimiser. */
    float[][] params() { return new float[][]{w1, b1, w2, b2}; }

    /** Gradient buffers shaped like the parameters, plus per-window scratch. */
    public static final class Gradients {
        final float[] w1, b1, w2, b2;
        final float[] h, a, da;

        public Gradients(TrainableRouter r) {
            w1 = new float[r.w1.length];
            b1 = new float[r.b1.length];
            w2 = new float[r.w2.length];
            b2 = new float[r.b2.length];
            h = new float[r.inner];
            a = new float[r.inner];
            da = new float[r.inner];
        }

        float[][] params() { return new float[][]{w1, b1, w2, b2}; }

        public void zero() {
            for (float[] g : params()) java.util.Arrays.fill(g, 0);
        }
    }

    /**
     * Averaged logits over {@code windows} window means stored at {@code x[off + w·H ..]}, written
     * to {@code out[outOff..outOff+3]}.
     */
    public void forward(float[] x, int off, int windows, float[] out, int outOff, Gradients scratch) {
        forward(x, off, windows, out, outOff, scratch, null);
    }

    /**
     * As {@link #forward(float[], int, int, float[], int, Gradients)}, also keeping the
     * pre-activations of every window in {@code keep} ([windows, D]) for {@link #backward}.
     */
    public void forward(float[] x, int off, int windows, float[] out, int outOff, Gradients scratch, float[] keep) {
        float[] h = scratch.h, a = scratch.a;
        double l0 = 0, l1 = 0, l2 = 0;
        for (int w = 0; w < windows; w++) {
            hiddenLayer(x, off + w * hidden, h, a);
            if (keep != null) System.arraycopy(h, 0, keep, w * inner, inner);
            l0 += CpuKernels.dot(w2, 0, a, 0, inner);
            l1 += CpuKernels.dot(w2, inner, a, 0, inner);
            l2 += CpuKernels.dot(w2, 2 * inner, a, 0, inner);
        }
        out[outOff] = (float) (l0 / windows) + b2[0];
        out[outOff + 1] = (float) (l1 / windows) + b2[1];
        out[outOff + 2] = (float) (l2 / windows) + b2[2];
    }

    /**
     * Adds d(loss)/d(params) to {@code g} for one example, given d(loss)/d(averaged logits)
     * {@code dLogits[dOff..dOff+3]}. {@code kept} holds the pre-activations from the forward pass,
     * or is null to recompute them.
     */
    public void backward(float[] x, int off, int windows, float[] dLogits, int dOff, Gradients g, float[] kept) {
        float[] h = g.h, a = g.a, da = g.da;
        // The averaged logits give each window 1/windows of the gradient.
        float d0 = dLogits[dOff] / windows, d1 = dLogits[dOff + 1] / windows, d2 = dLogits[dOff + 2] / windows;
        g.b2[0] += dLogits[dOff];
        g.b2[1] += dLogits[dOff + 1];
        g.b2[2] += dLogits[dOff + 2];
        for (int w = 0; w < windows; w++) {
            int xo = off + w * hidden;
            if (kept == null) {
                hiddenLayer(x, xo, h, a);
            } else {
                for (int j = 0; j < inner; j++) {
                    h[j] = kept[w * inner + j];
                    a[j] = gelu(h[j]);
                }
            }
            CpuKernels.axpy(d0, a, 0, g.w2, 0, inner);
            CpuKernels.axpy(d1, a, 0, g.w2, inner, inner);
            CpuKernels.axpy(d2, a, 0, g.w2, 2 * inner, inner);
            for (int j = 0; j < inner; j++) {
                float dAct = d0 * w2[j] + d1 * w2[inner + j] + d2 * w2[2 * inner + j];
                da[j] = dAct * geluGrad(h[j]);
            }
            for (int j = 0; j < inner; j++) {
                if (da[j] == 0) continue;
                g.b1[j] += da[j];
                CpuKernels.axpy(da[j], x, xo, g.w1, j * hidden, hidden);
            }
        }
    }

    private void hiddenLayer(float[] x, int xo, float[] h, float[] a) {
        for (int j = 0; j < inner; j++) {
            h[j] = CpuKernels.dot(w1, j * hidden, x, xo, hidden) + b1[j];
            a[j] = gelu(h[j]);
        }
    }

    /** GELU, tanh approximation (the reference's {@code nn.GELU(approximate="tanh")}). */
    public static float gelu(float x) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1 + Math.tanh(u)));
    }

    static float geluGrad(float x) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        double t = Math.tanh(u);
        double du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
        return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du);
    }

    public TrainableRouter copy() {
        return new TrainableRouter(hidden, inner, w1.clone(), b1.clone(), w2.clone(), b2.clone());
    }
}
