package dev.drllm.routing;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One layer's router (DESIGN.md §1): Linear(H→R) → GELU (tanh approximation) → Linear(R→3).
 * Output 0 = skip, 1 = execute, 2 = repeat. All arithmetic is f32, as in the reference; the
 * router is ~R·H multiply-adds per window, small next to a block ({@code drllm bench-router}
 * measures both).
 *
 * <p>The arrays are row-major like the checkpoint tensors: w1 [R,H], b1 [R], w2 [3,R], b2 [3]. They
 * are shared, not copied, and must be treated as read-only once the router is built (w1 is
 * transposed at construction; a trainer builds a new Router from its updated weights).
 */
public final class Router {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    public static final int CLASSES = 3;
    public static final int SKIP = 0, EXECUTE = 1, REPEAT = 2;

    /** sqrt(2/π) and 0.044715: the tanh approximation of GELU used by the reference (nn.GELU(approximate="tanh")). */
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI), GELU_K = 0.044715;

    private final int hiddenSize;
    private final int routerHidden;
    private final float[] w1, b1, w2, b2;
    /** W1 transposed, [H, R], for the vectorised first layer. */
    private final float[] w1t;

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
        this.w1t = new float[w1.length];
        for (int j = 0; j < routerHidden; j++) for (int i = 0; i < hiddenSize; i++) w1t[i * routerHidden + j] = w1[j * hiddenSize + i];
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

    /** The three logits for the vector {@code x[off .. off+H)}. */
    public float[] logits(float[] x, int off) {
        float[] out = new float[CLASSES];
        logits(x, off, new float[routerHidden], out);
        return out;
    }

    /** As {@link #logits(float[], int)}, writing into {@code out} with {@code scratch} of length R. */
    public void logits(float[] x, int off, float[] scratch, float[] out) {
        logits(x, off, scratch, out, dev.drllm.cpu.CpuKernels.vectorRouter());
    }

    /**
     * As {@link #logits(float[], int, float[], float[])}, with the first layer's vector loop
     * ({@code vectorLoop}) or its scalar twin: the same bits either way (the kernel warm-up times
     * both; a fresh JVM uses the scalar one until the vector one is compiled).
     */
    public void logits(float[] x, int off, float[] scratch, float[] out, boolean vectorLoop) {
        int H = hiddenSize, R = routerHidden;
        // h = W1·x with the vector lanes along R over the transposed W1: no horizontal sums, and
        // every h[j] is the same sequential FMA chain over i whatever the JIT does, so decisions
        // never flip between calls (reduceLanes' order is unspecified)
        int V = SPECIES.length(), j0 = 0, vecEnd = vectorLoop ? R : 0;
        // four independent accumulators hide the FMA latency
        for (; j0 + 4 * V <= vecEnd; j0 += 4 * V) {
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < H; i++) {
                FloatVector xi = FloatVector.broadcast(SPECIES, x[off + i]);
                int base = i * R + j0;
                a0 = FloatVector.fromArray(SPECIES, w1t, base).fma(xi, a0);
                a1 = FloatVector.fromArray(SPECIES, w1t, base + V).fma(xi, a1);
                a2 = FloatVector.fromArray(SPECIES, w1t, base + 2 * V).fma(xi, a2);
                a3 = FloatVector.fromArray(SPECIES, w1t, base + 3 * V).fma(xi, a3);
            }
            a0.intoArray(scratch, j0);
            a1.intoArray(scratch, j0 + V);
            a2.intoArray(scratch, j0 + 2 * V);
            a3.intoArray(scratch, j0 + 3 * V);
        }
        for (; j0 + V <= vecEnd; j0 += V) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int i = 0; i < H; i++) {
                acc = FloatVector.fromArray(SPECIES, w1t, i * R + j0).fma(FloatVector.broadcast(SPECIES, x[off + i]), acc);
            }
            acc.intoArray(scratch, j0);
        }
        for (int j = j0; j < R; j++) {
            float acc = 0;
            for (int i = 0; i < H; i++) acc = Math.fma(w1t[i * R + j], x[off + i], acc);
            scratch[j] = acc;
        }
        for (int j = 0; j < R; j++) scratch[j] = gelu(scratch[j] + b1[j]);
        for (int k = 0; k < CLASSES; k++) {
            int row = k * R;
            float acc = 0;
            for (int j = 0; j < R; j++) acc = Math.fma(w2[row + j], scratch[j], acc);
            out[k] = acc + b2[k];
        }
    }

    /** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public static float gelu(float x) {
        double v = x;
        return (float) (0.5 * v * (1.0 + Math.tanh(GELU_C * (v + GELU_K * v * v * v))));
    }

    /** Parameter count: (R·H + R + 3·R + 3), the per-layer term of DESIGN.md §1. */
    public long parameters() {
        return (long) routerHidden * hiddenSize + routerHidden + (long) CLASSES * routerHidden + CLASSES;
    }
}
