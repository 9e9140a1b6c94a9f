package dev.drllm.routing;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One layer's router (DESIGN.md §1): Linear(H→R) → GELU (tanh approximation) → Linear(R→3).
 * Output 0 = skip, 1 = execute, 2 = repeat. All arithmetic is f32, as in the reference; the
 * router is ~R·H multiply-adds per window, small next to a block ({@code drllm bench-router}
 * measures both).
 *
 * <p>The arrays are owned by the router (not copied on the way out) so a trainer can update them
 * in place; they are row-major like the checkpoint tensors: w1 [R,H], b1 [R], w2 [3,R], b2 [3].
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
        int R = routerHidden;
        for (int j = 0; j < R; j++) scratch[j] = gelu(dot(w1, j * hiddenSize, x, off, hiddenSize) + b1[j]);
        for (int k = 0; k < CLASSES; k++) {
            int row = k * R;
            float acc = 0;
            for (int j = 0; j < R; j++) acc = Math.fma(w2[row + j], scratch[j], acc);
            out[k] = acc + b2[k];
        }
    }

    /**
     * Σ a[ao+i]·b[bo+i] with lane-wise FMAs, the lanes then summed left to right. Not
     * {@code reduceLanes}: its order is unspecified and differs between the interpreter and
     * the JIT, which would let a near-tie decision change from one call to the next.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0;
        int bound = SPECIES.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < bound; i += SPECIES.length()) {
                acc = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
            }
            float[] lanes = acc.toArray();
            for (float v : lanes) sum += v;
        }
        for (; i < n; i++) sum = Math.fma(a[ao + i], b[bo + i], sum);
        return sum;
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
