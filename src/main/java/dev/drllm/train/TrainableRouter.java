package dev.drllm.train;

import dev.drllm.cpu.CpuKernels;
import dev.drllm.routing.Router;

import java.util.Random;

/**
 * A router being trained: the inference {@link Router} (the one definition of the MLP: forward
 * pass, activation, initialisation, class count) plus what training needs — gradient buffers and
 * the backward pass. The forward pass is the router's own, so the logits a trained router gives
 * when it routes are the ones it was trained with, bit for bit. The parameters are the router's
 * arrays ({@code w1 [D,H]}, {@code b1 [D]}, {@code w2 [3,D]}, {@code b2 [3]}), updated in place by
 * the optimiser.
 */
public final class TrainableRouter {
    public static final int CLASSES = Router.CLASSES;

    private final Router mlp;
    final int hidden;
    final int inner;
    final float[] w1, b1, w2, b2;

    public TrainableRouter(Router mlp) {
        this.mlp = mlp;
        this.hidden = mlp.hiddenSize();
        this.inner = mlp.routerHidden();
        this.w1 = mlp.w1();
        this.b1 = mlp.b1();
        this.w2 = mlp.w2();
        this.b2 = mlp.b2();
    }

    /** Xavier-uniform weights and zero biases, as the reference initialises its routers ({@link Router#xavier}). */
    public static TrainableRouter init(int hidden, int inner, Random rnd) {
        return new TrainableRouter(Router.xavier(hidden, inner, rnd));
    }

    /** The inference router over the same arrays (it sees every later update). */
    public Router router() { return mlp; }

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
     * to {@code out[outOff..outOff+3]} ({@link Router#logits(float[], int, int, float[], int, float[], float[], float[])}).
     */
    public void forward(float[] x, int off, int windows, float[] out, int outOff, Gradients scratch) {
        forward(x, off, windows, out, outOff, scratch, null);
    }

    /**
     * As {@link #forward(float[], int, int, float[], int, Gradients)}, also keeping the
     * pre-activations of every window in {@code keep} ([windows, D]) for {@link #backward}.
     */
    public void forward(float[] x, int off, int windows, float[] out, int outOff, Gradients scratch, float[] keep) {
        mlp.logits(x, off, windows, out, outOff, scratch.h, scratch.a, keep);
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
                mlp.hiddenLayer(x, xo, h, a);
            } else {
                for (int j = 0; j < inner; j++) {
                    h[j] = kept[w * inner + j];
                    a[j] = Router.gelu(h[j]);
                }
            }
            CpuKernels.axpy(d0, a, 0, g.w2, 0, inner);
            CpuKernels.axpy(d1, a, 0, g.w2, inner, inner);
            CpuKernels.axpy(d2, a, 0, g.w2, 2 * inner, inner);
            for (int j = 0; j < inner; j++) {
                float dAct = d0 * w2[j] + d1 * w2[inner + j] + d2 * w2[2 * inner + j];
                da[j] = dAct * Router.geluGrad(h[j]);
            }
            for (int j = 0; j < inner; j++) {
                if (da[j] == 0) continue;
                g.b1[j] += da[j];
                CpuKernels.axpy(da[j], x, xo, g.w1, j * hidden, hidden);
            }
        }
    }

    public TrainableRouter copy() {
        return new TrainableRouter(new Router(hidden, inner, w1.clone(), b1.clone(), w2.clone(), b2.clone()));
    }
}
