package dev.drllm.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.drllm.quant.QuantKernels.F;
import static dev.drllm.quant.QuantKernels.LANES;

/**
 * An activation vector quantized to 8 bits for the Q4_K decode dot, as llama.cpp's Q8_K: per
 * block of 256, {@code d} = max|x| / 127 and q = round(x / d) in [−127, 127], plus the sum of q over
 * each 16 values (so a sub-block's minimum or offset term is one multiply). The q are stored as
 * shorts, widened once here instead of once per weight row: the dots multiply 16-bit lanes.
 *
 * (Q6_K does not use these: it multiplies in f32 on its own lane-ordered activation copy,
 * {@code Q6_K.Activation}; the 16-bit scheme measured no faster for it on the 8192 × 2048 probe
 * and slower on the 1B Q4_K_M model's Q6_K LM head, 15.7–16.6 against 18.9 GB/s.)
 *
 * <p>Error: |x − d · q| ≤ d / 2 per element, so a row's dot moves by at most Σ |w| · d / 2 (about
 * 0.4% of max|x| · Σ|w|); llama.cpp's CPU kernels make the same rounding.
 */
public final class Q8Activation {
    /** Short lanes of the float species' width: one product vector per 32 (AVX-512) or 16 (AVX2) weights. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    static final int SL = S.length();
    /** Short lanes of half the float width: one float vector narrowed to shorts. */
    private static final VectorSpecies<Short> SH = VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * 16));
    private static final float MAGIC = 12582912f; // 1.5 · 2^23: adding it rounds a float of magnitude < 2^22 to an integer, half to even

    /** The calling thread's buffers ({@link Q4_K#matvec} quantizes into them once per input, {@link #forQ4K}). */
    static final ThreadLocal<Q8Activation> LOCAL = ThreadLocal.withInitial(Q8Activation::new);

    short[] q = new short[0];
    float[] d = new float[0];
    int[] sums = new int[0];
    /** The same q in Q4_K's lane order ({@link #prepareQ4K}). */
    short[] k4 = new short[0];
    /** Per block the sums of q over each 32 values in the order {@link Q4_K}'s minimum term reads them ({@link #prepareQ4K}). */
    int[] k4sums = new int[0];
    /** The calling thread's staging buffer for one Q4_K row ({@link #row}). */
    private short[] row = new short[0];
    /** The input {@link #k4} was last laid out from ({@link #forQ4K}). */
    private final LastInput last = new LastInput();

    /**
     * Where each of Q4_K's activation lanes comes from: for the i-th load of 2 · SL nibble bytes of a
     * super-block (bytes p = 2 · SL · i ..), short lane k holds bytes p + 2k (low byte) and p + 2k + 1,
     * i.e. four weights: the low nibbles are elements e and e + 1 of sub-block 2g, the high nibbles the
     * same elements of sub-block 2g + 1, with g = (p + 2k) / 32 and e = (p + 2k) % 32. The 4 · SL
     * activations of load i are stored as four runs of SL lanes in that order (low even, low odd, high
     * even, high odd), so that every product in the dot is lane-aligned and nothing is widened or
     * shuffled per weight row.
     */
    static final int[] K4_ORDER = new int[256];

    static {
        for (int i = 0; i < 128 / (2 * SL); i++) {
            for (int k = 0; k < SL; k++) {
                int p = 2 * SL * i + 2 * k, lo = 64 * (p / 32) + p % 32, o = 4 * SL * i + k;
                K4_ORDER[o] = lo;
                K4_ORDER[o + SL] = lo + 1;
                K4_ORDER[o + 2 * SL] = lo + 32;
                K4_ORDER[o + 3 * SL] = lo + 33;
            }
        }
    }

    /** Quantizes {@code x[off .. off + n)}, n a multiple of 256. */
    public void quantize(float[] x, int off, int n) {
        if (n % 256 != 0) throw new IllegalArgumentException("8-bit activations need a multiple of 256 values, got " + n);
        last.forget();
        if (q.length < n) {
            q = new short[n];
            d = new float[n / 256];
            sums = new int[n / 16];
        }
        for (int b = 0; b < n / 256; b++) {
            int xo = off + b * 256;
            FloatVector m = FloatVector.zero(F);
            for (int i = 0; i < 256; i += LANES) m = FloatVector.fromArray(F, x, xo + i).abs().max(m);
            float amax = m.reduceLanes(VectorOperators.MAX); // max is exact in any order
            d[b] = amax / 127f;
            float id = amax > 0 ? 127f / amax : 0f;
            for (int i = 0; i < 256; i += LANES) {
                IntVector v = FloatVector.fromArray(F, x, xo + i).mul(id).add(MAGIC).reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
                ((ShortVector) v.convertShape(VectorOperators.I2S, SH, 0)).intoArray(q, b * 256 + i);
            }
            for (int g = 0; g < 16; g++) {
                int s = 0, base = b * 256 + g * 16;
                for (int i = 0; i < 16; i++) s += q[base + i];
                sums[b * 16 + g] = s;
            }
        }
    }

    /**
     * Fills {@link #k4} (q in {@link #K4_ORDER}) and {@link #k4sums} for the first n values quantized
     * last: with 512-bit vectors 16 ints per block, eight zeros then the eight 32-value sums (one
     * multiply against the unpacked [scales | minima] vector); narrower, 8 per block in the order
     * 0, 4, 1, 5, 2, 6, 3, 7 (the order the minima come out of one broadcast long).
     */
    void prepareQ4K(int n) {
        if (k4.length < n) {
            k4 = new short[n];
            k4sums = new int[n / 16];
        }
        boolean wide = Q4_K.WIDE;
        for (int b = 0; b < n / 256; b++) {
            int o = b * 256;
            for (int i = 0; i < 256; i++) k4[o + i] = q[o + K4_ORDER[i]];
            for (int j = 0; j < 8; j++) {
                int s = sums[b * 16 + 2 * j] + sums[b * 16 + 2 * j + 1];
                if (wide) {
                    k4sums[b * 16 + j] = 0;
                    k4sums[b * 16 + 8 + j] = s;
                } else {
                    k4sums[b * 8 + (j < 4 ? 2 * j : 2 * j - 7)] = s;
                }
            }
        }
    }

    /** The calling thread's buffer of at least n shorts, for staging a weight row. */
    short[] row(int n) {
        if (row.length < n) row = new short[n];
        return row;
    }

    /**
     * The calling thread's activations quantized from {@code x[off .. off + n)} and laid out for
     * {@link Q4_K} ({@link #prepareQ4K}); kept from the previous call when its input was the same
     * ({@link LastInput}: the row chunks of one matrix, or gate and up, share an input). A codec's
     * matvec calls its own row dot in its own loop: a shared loop calling two codecs' dots through
     * an interface ran the 1B Q4_K_M decode's matrices slower (C2 inlining both kernels into one
     * method, past its node budget, is the likely reason).
     */
    static Q8Activation forQ4K(float[] x, int off, int n) {
        Q8Activation a = LOCAL.get();
        if (a.last.matches(x, off, n)) return a;
        a.quantize(x, off, n);
        a.prepareQ4K(n);
        a.last.remember(x, off, n);
        return a;
    }
}
