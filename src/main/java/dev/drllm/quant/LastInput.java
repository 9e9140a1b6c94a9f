package dev.drllm.quant;

import java.util.Arrays;

/**
 * A copy of the activation a per-thread layout ({@link Q8Activation}, {@code Q6_K.Activation}) was
 * last made from, so that a matvec call whose input equals it reuses the layout. A decode step
 * splits each matrix into several row chunks per thread (the pool's load balancing), and every
 * chunk is one matvec call on the same activation: without this each thread laid out the same
 * vector once per chunk (8192 values: ~5 µs for Q6_K, ~8 µs for Q4_K, where a chunk of the 1B
 * model's ffn_down takes ~40–90 µs). The check compares contents, not identity, so a buffer reused with new values is
 * laid out again; it costs one vectorized compare of the n floats. Values compare as
 * {@link Arrays#equals(float[], float[])} does (bit patterns, every NaN alike: a NaN input makes a
 * NaN row whichever NaN it was).
 */
final class LastInput {
    private float[] copy = new float[0];
    private int n = -1;

    /** Whether {@code x[off .. off + n)} equals the input last {@link #remember}ed. */
    boolean matches(float[] x, int off, int n) {
        return n == this.n && Arrays.equals(x, off, off + n, copy, 0, n);
    }

    /** Records {@code x[off .. off + n)} as the input of the layout just made. */
    void remember(float[] x, int off, int n) {
        if (copy.length < n) copy = new float[n];
        System.arraycopy(x, off, copy, 0, n);
        this.n = n;
    }

    /** The layout is being rewritten: no input matches until the next {@link #remember}. */
    void forget() {
        n = -1;
    }
}
