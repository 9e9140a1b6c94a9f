package dev.drllm.cpu;

import dev.drllm.model.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The CPU backend's arithmetic: f32 accumulation over BF16 / F16 / F32 weights read in place from
 * the mapped checkpoint. Vector API species are chosen at class load (the widest the CPU offers);
 * every loop has a scalar tail.
 */
public final class CpuKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private CpuKernels() {}

    /** bf16 lanes of {@code seg} at byte offset {@code off}, widened to f32. */
    static FloatVector loadBf16(MemorySegment seg, long off) {
        ShortVector s = ShortVector.fromMemorySegment(S, seg, off, ByteOrder.LITTLE_ENDIAN);
        IntVector i = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * Rows [rowFrom, rowTo) of y[T, out] = x[T, in] · Wᵀ, W being [out, in] in the checkpoint.
     * Tokens are taken four at a time so each weight row is streamed from memory once per block.
     */
    public static void matmulRows(float[] x, int tokens, int in, Tensor w, float[] y, int out, int rowFrom, int rowTo) {
        MemorySegment seg = w.data();
        switch (w.dtype()) {
            case BF16 -> matmulBf16(x, tokens, in, seg, y, out, rowFrom, rowTo);
            case F32 -> matmulF32(x, tokens, in, seg, y, out, rowFrom, rowTo);
            case F16 -> matmulScalar(x, tokens, in, w, y, out, rowFrom, rowTo);
            default -> throw new IllegalArgumentException("unsupported weight dtype " + w.dtype());
        }
    }

    private static void matmulBf16(float[] x, int tokens, int in, MemorySegment w, float[] y, int out, int r0, int r1) {
        int lanes = F.length();
        int bound = F.loopBound(in);
        for (int o = r0; o < r1; o++) {
            long rowOff = (long) o * in * 2;
            int t = 0;
            for (; t + 4 <= tokens; t += 4) {
                int x0 = t * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
                FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
                int i = 0;
                for (; i < bound; i += lanes) {
                    FloatVector wv = loadBf16(w, rowOff + i * 2L);
                    a0 = wv.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                    a1 = wv.fma(FloatVector.fromArray(F, x, x1 + i), a1);
                    a2 = wv.fma(FloatVector.fromArray(F, x, x2 + i), a2);
                    a3 = wv.fma(FloatVector.fromArray(F, x, x3 + i), a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; i < in; i++) {
                    float wi = Float.intBitsToFloat((w.get(SHORT_LE, rowOff + i * 2L) & 0xFFFF) << 16);
                    s0 += wi * x[x0 + i];
                    s1 += wi * x[x1 + i];
                    s2 += wi * x[x2 + i];
                    s3 += wi * x[x3 + i];
                }
                y[t * out + o] = s0;
                y[(t + 1) * out + o] = s1;
                y[(t + 2) * out + o] = s2;
                y[(t + 3) * out + o] = s3;
            }
            for (; t < tokens; t++) {
                int x0 = t * in;
                FloatVector a0 = FloatVector.zero(F);
                int i = 0;
                for (; i < bound; i += lanes) {
                    a0 = loadBf16(w, rowOff + i * 2L).fma(FloatVector.fromArray(F, x, x0 + i), a0);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                for (; i < in; i++) s0 += Float.intBitsToFloat((w.get(SHORT_LE, rowOff + i * 2L) & 0xFFFF) << 16) * x[x0 + i];
                y[t * out + o] = s0;
            }
        }
    }

    private static void matmulF32(float[] x, int tokens, int in, MemorySegment w, float[] y, int out, int r0, int r1) {
        int lanes = F.length();
        int bound = F.loopBound(in);
        for (int o = r0; o < r1; o++) {
            long rowOff = (long) o * in * 4;
            for (int t = 0; t < tokens; t++) {
                int x0 = t * in;
                FloatVector a0 = FloatVector.zero(F);
                int i = 0;
                for (; i < bound; i += lanes) {
                    FloatVector wv = FloatVector.fromMemorySegment(F, w, rowOff + i * 4L, ByteOrder.LITTLE_ENDIAN);
                    a0 = wv.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                for (; i < in; i++) s0 += w.get(FLOAT_LE, rowOff + i * 4L) * x[x0 + i];
                y[t * out + o] = s0;
            }
        }
    }

    private static void matmulScalar(float[] x, int tokens, int in, Tensor w, float[] y, int out, int r0, int r1) {
        for (int o = r0; o < r1; o++) {
            long rowOff = (long) o * in;
            for (int t = 0; t < tokens; t++) {
                float s = 0;
                int x0 = t * in;
                for (int i = 0; i < in; i++) s += w.getFloat(rowOff + i) * x[x0 + i];
                y[t * out + o] = s;
            }
        }
    }

    /** HF RMSNorm in f32: x · rsqrt(mean(x²) + eps) · weight, per row of width n. */
    public static void rmsnorm(float[] x, int xOff, float[] out, int outOff, float[] weight, int n, float eps) {
        float ss = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            ss += v * v;
        }
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[outOff + i] = weight[i] * (x[xOff + i] * inv);
    }

    /** Rotates every head of row {@code off} by position {@code pos} (transformers' rotate_half pairing: i with i + d/2). */
    public static void rope(float[] v, int off, int heads, int headDim, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float a = v[base + i], b = v[base + i + half];
                float c = cos[i], s = sin[i];
                v[base + i] = a * c - b * s;
                v[base + i + half] = b * c + a * s;
            }
        }
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** dst[dOff..] += a · src[sOff..] over n elements. */
    public static void axpy(float a, float[] src, int sOff, float[] dst, int dOff, int n) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, a);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, dst, dOff + i);
            av.fma(FloatVector.fromArray(F, src, sOff + i), d).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) dst[dOff + i] += a * src[sOff + i];
    }

    public static float silu(float v) {
        return (float) (v / (1.0 + Math.exp(-v)));
    }
}
