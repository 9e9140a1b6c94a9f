package dev.drllm.routing;

import dev.drllm.cpu.CpuKernels;

import java.util.Random;

/**
 * One layer's router (DESIGN.md §1): Linear(H→R) → GELU (tanh approximation) → Linear(R→3), run
 * on each window mean of the prompt and the window logits averaged. Output 0 = skip, 1 = execute,
 * 2 = repeat. This is the one definition of the router MLP: inference ({@link WindowPooling}) and
 * training ({@code train.TrainableRouter}, which adds the backward pass) both run
 * {@link #logits(float[], int, int, float[], int, float[], float[], float[])}, so a trained router
 * gives bit-identical logits when it routes. All arithmetic is f32 with fixed-order reductions
 * ({@link CpuKernels#dot}), so decisions never flip between calls or with JIT warm-up; the router
 * is ~R·H multiply-adds per window, small next to a block ({@code drllm bench-router} measures both).
 *
 * <p>The arrays are row-major like the checkpoint tensors: w1 [R,H], b1 [R], w2 [3,R], b2 [3]. They
 * are shared, not copied: a trainer updates them in place between steps.
 */
public final class Router {
    public static final int CLASSES = 3;
    public static final int SKIP = 0, EXECUTE = 1, REPEAT = 2;

    /** sqrt(2/π) and 0.044715: the tanh approximation of GELU used by the reference (nn.GELU(approximate="tanh")). */
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI), GELU_K = 0.044715;

    private final int hiddenSize;
    private final int routerHidden;
    private final float[] w1, b1, w2, b2;

    public Router(int hiddenSize, int routerHidden, float[] w1, float[] b1, float[] w2, float[] b2) {
        if (hiddenSize <= 0 || routerHidden <= 0) throw new IllegalArgumentException("router sizes must be positive: H=" + hiddenSize + ", R=" + routerHidden);
        check("linear1.weight", w1, (long) routerHidden * hiddenSize);
        check("linear1.bias", b1, routerHidden);
        check("linear2.weight", w2, (long) CLASSES * routerHidden);
        check("linear2.bias", b2, CLASSES);
        this.hiddenSize = hiddenSize;
        this.routerHidden = routerHidden;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /**
     * A fresh router as the reference initialises one: xavier-uniform weights
     * (U(±√(6/(fan_in+fan_out)))), w1 drawn before w2, and zero biases.
     */
    public static Router xavier(int hiddenSize, int routerHidden, Random rnd) {
        float[] w1 = uniform(rnd, routerHidden * hiddenSize, Math.sqrt(6.0 / (hiddenSize + routerHidden)));
        float[] w2 = uniform(rnd, CLASSES * routerHidden, Math.sqrt(6.0 / (routerHidden + CLASSES)));
        return new Router(hiddenSize, routerHidden, w1, new float[routerHidden], w2, new float[CLASSES]);
    }

    private static float[] uniform(Random rnd, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return a;
    }

    private static void check(String what, float[] a, long n) {
        if (a == null || a.length != n) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no" : a.length) + " values, expected " + n);
        }
    }

    public int hiddenSize() { return hiddenSize; }

    public int routerHidden() { return routerHidden; }

    public float[] w1() { return w1; }

    public float[] b1() { return b1; }

    public float[] w2() { return w2; }

    public float[] b2() { return b2; }

    /** The three logits for one vector {@code x[off .. off+H)} (a single window). */
    public float[] logits(float[] x, int off) {
        float[] out = new float[CLASSES];
        logits(x, off, 1, out, 0, new float[routerHidden], new float[routerHidden], null);
        return out;
    }

    /**
     * The averaged logits over {@code windows} window means stored at {@code x[off + w·H ..]},
     * written to {@code out[outOff .. outOff+3)}: per window {@code W2·gelu(W1·x + b1)}, summed over
     * the windows in double, divided by their count, plus {@code b2} (the bias is the same for every
     * window, so adding it once equals averaging it). {@code h} and {@code a} are scratch of length R;
     * {@code keep}, when not null ([windows, R]), receives every window's pre-activations for the
     * backward pass.
     */
    public void logits(float[] x, int off, int windows, float[] out, int outOff, float[] h, float[] a, float[] keep) {
        int R = routerHidden;
        double l0 = 0, l1 = 0, l2 = 0;
        for (int w = 0; w < windows; w++) {
            hiddenLayer(x, off + w * hiddenSize, h, a);
            if (keep != null) System.arraycopy(h, 0, keep, w * R, R);
            l0 += CpuKernels.dot(w2, 0, a, 0, R);
            l1 += CpuKernels.dot(w2, R, a, 0, R);
            l2 += CpuKernels.dot(w2, 2 * R, a, 0, R);
        }
        out[outOff] = (float) (l0 / windows) + b2[0];
        out[outOff + 1] = (float) (l1 / windows) + b2[1];
        out[outOff + 2] = (float) (l2 / windows) + b2[2];
    }

    /** One window's first layer: pre-activations {@code h = W1·x + b1} and activations {@code a = gelu(h)}. */
    public void hiddenLayer(float[] x, int off, float[] h, float[] a) {
        for (int j = 0; j < routerHidden; j++) {
            h[j] = CpuKernels.dot(w1, j * hiddenSize, x, off, hiddenSize) + b1[j];
            a[j] = gelu(h[j]);
        }
    }

    /** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public static float gelu(float x) {
        double v = x;
        return (float) (0.5 * v * (1.0 + Math.tanh(GELU_C * (v + GELU_K * v * v * v))));
    }

    /** d gelu(x) / dx of {@link #gelu}, for the backward pass. */
    public static float geluGrad(float x) {
        double v = x;
        double t = Math.tanh(GELU_C * (v + GELU_K * v * v * v));
        double du = GELU_C * (1 + 3 * GELU_K * v * v);
        return (float) (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du);
    }

    /** Parameter count: (R·H + R + 3·R + 3), the per-layer term of DESIGN.md §1. */
    public long parameters() {
        return (long) routerHidden * hiddenSize + routerHidden + (long) CLASSES * routerHidden + CLASSES;
    }
}
