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
 * (Q6_K keeps its f32 dot: the same 16-bit scheme for it measured no faster on the 8192 × 2048
 * probe and slower on the 1B Q4_K_M model's Q6_K LM head, 15.7–16.6 against 18.9 GB/s.)
 *
 * <p>Error: |x − d · q| ≤ d / 2 per element, so a row's dot moves by at most Σ |w| · d / 2 (about
 * 0.4% of max|x| · Σ|w|); llama.cpp's CPU kernels make the same rounding.
 */
public final class Q8Activation {
    /** Short lanes of the float species' width: one product vector per 32 (AVX-512) or 16 (AVX2) weights. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    static final int SL = S.length();
    /** Bytes that widen to one short vector. */
    static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(SL * 8));
    /** Short lanes of half the float width: one float vector narrowed to shorts. */
    private static final VectorSpecies<Short> SH = VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * 16));
    private static final float MAGIC = 12582912f; // 1.5 · 2^23: adding it rounds a float of magnitude < 2^22 to an integer, half to even

    /** The calling thread's buffers ({@link BlockCodec#matvec} quantizes into them once per call). */
    static final ThreadLocal<Q8Activation> LOCAL = ThreadLocal.withInitial(Q8Activation::new);

    short[] q = new short[0];
    float[] d = new float[0];
    int[] sums = new int[0];

    /** Quantizes {@code x[off .. off + n)}, n a multiple of 256. */
    public void quantize(float[] x, int off, int n) {
        if (n % 256 != 0) throw new IllegalArgumentException("8-bit activations need a multiple of 256 values, got " + n);
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
     * The calling thread's activations, quantized from {@code x[off .. off + n)}. A codec's
     * matvec calls its own row dot in its own loop: a shared loop calling two codecs' dots through
     * an interface ran the 1B Q4_K_M decode's matrices slower (C2 inlining both kernels into one
     * method, past its node budget, is the likely reason).
     */
    static Q8Activation of(float[] x, int off, int n) {
        Q8Activation a = LOCAL.get();
        a.quantize(x, off, n);
        return a;
    }
}
