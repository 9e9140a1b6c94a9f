package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.drllm.quant.QuantKernels.B;
import static dev.drllm.quant.QuantKernels.F;
import static dev.drllm.quant.QuantKernels.I;
import static dev.drllm.quant.QuantKernels.INT_LE;
import static dev.drllm.quant.QuantKernels.LANES;
import static dev.drllm.quant.QuantKernels.LE;
import static dev.drllm.quant.QuantKernels.half;
import static dev.drllm.quant.QuantKernels.u8;
import static dev.drllm.quant.Q8Activation.BS;
import static dev.drllm.quant.Q8Activation.S;
import static dev.drllm.quant.Q8Activation.SL;

/**
 * Q4_K: super-blocks of 256 weights in 8 sub-blocks of 32: {@code d}, {@code dmin} (f16), 12
 * bytes packing 8 six-bit scales and 8 six-bit minima, then 128 bytes of nibbles (each 32 bytes
 * hold sub-block 2j in the low and 2j + 1 in the high nibbles); w = d · sc · q − dmin · m.
 */
public final class Q4_K implements BlockCodec {
    static final Q4_K INSTANCE = new Q4_K();

    private Q4_K() {}

    @Override
    public DType type() { return DType.Q4_K; }

    /** Sub-block j's six-bit scale (low byte) and minimum (second byte) from the 12 packed bytes at {@code so}. */
    static int scaleMin(MemorySegment s, long so, int j) {
        int sc, m;
        if (j < 4) {
            sc = u8(s, so + j) & 63;
            m = u8(s, so + j + 4) & 63;
        } else {
            sc = (u8(s, so + j + 4) & 0xF) | ((u8(s, so + j - 4) >> 6) << 4);
            m = (u8(s, so + j + 4) >> 4) | ((u8(s, so + j) >> 6) << 4);
        }
        return sc | (m << 8);
    }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int sm1 = scaleMin(src, bo + 4, 2 * j), sm2 = scaleMin(src, bo + 4, 2 * j + 1);
                FloatVector d1 = FloatVector.broadcast(F, d * (sm1 & 0xFF)), m1 = FloatVector.broadcast(F, -dmin * (sm1 >> 8));
                FloatVector d2 = FloatVector.broadcast(F, d * (sm2 & 0xFF)), m2 = FloatVector.broadcast(F, -dmin * (sm2 >> 8));
                long q = bo + 16 + 32L * j;
                for (int c = 0; c < 32; c += LANES) {
                    ByteVector v = ByteVector.fromMemorySegment(B, src, q + c, LE);
                    ((FloatVector) v.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0)).fma(d1, m1).intoArray(out, o + 64 * j + c);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2F, F, 0)).fma(d2, m2).intoArray(out, o + 64 * j + 32 + c);
                }
            }
        }
    }

    /**
     * Decode matvec on 8-bit activations ({@link Q8Activation}, once per call). Per super-block,
     * with x ≈ dx · qx: Σ w · x = dx · (d · Σ_j sc_j Σ q · qx − dmin · Σ_j m_j Σ qx), the last sum
     * precomputed with the activations, so the minima cost one multiply per sub-block. The 12
     * scale bytes are read as three ints and unpacked with masks (the eight six-bit scales and
     * minima, four to an int, as llama.cpp's kernels do). Each load of nibble bytes is widened to
     * 16-bit lanes once, where the low and high nibbles (sub-blocks 2j and 2j + 1) are a mask and a
     * shift away; q · qx fits 16 bits (≤ 15 · 127), and one 32-bit multiply by 0x10001 leaves the
     * sum of each pair of neighbouring products in the upper half of an int lane (the Vector API has
     * no pairwise multiply-add), so a 64-weight step is ~13 vector instructions against the f32
     * path's 18 plus its per-sub-block broadcasts of two float scales.
     */
    @Override
    public void matvec(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        Q8Activation a = Q8Activation.of(x, xOff, in);
        for (int o = r0; o < r1; o++) y[yOff + o] = dotQ8(w, o * (in / 256 * 144L), a.q, a.d, a.sums, in / 256, tmp);
    }

    private static float dotQ8(MemorySegment src, long off, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        float mins = 0;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            int s0 = src.get(INT_LE, bo + 4), s1 = src.get(INT_LE, bo + 8), s2 = src.get(INT_LE, bo + 12);
            // scales 0-3 and minima 0-3: the low six bits of s0 / s1's bytes; 4-7: s2's nibbles and the top two bits of s0 / s1's bytes
            int sc03 = s0 & 0x3F3F3F3F, m03 = s1 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030), m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            int xb = b * 256;
            IntVector isum = IntVector.zero(I);
            for (int j = 0; j < 4; j++) {
                int sc = j < 2 ? sc03 : sc47, sh = 16 * (j & 1);
                int c1 = (sc >>> sh) & 0xFF, c2 = (sc >>> (sh + 8)) & 0xFF;
                long q = bo + 16 + 32L * j;
                int xo = xb + 64 * j;
                for (int c = 0; c < 32; c += SL) {
                    ShortVector v = (ShortVector) ByteVector.fromMemorySegment(BS, src, q + c, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                    ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + c));
                    ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S, xq, xo + 32 + c));
                    IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
                    isum = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16).mul(c1).add(isum);
                    isum = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16).mul(c2).add(isum);
                }
            }
            int m = 0, sb = b * 16;
            for (int k = 0; k < 4; k++) {
                m += ((m03 >>> 8 * k) & 0xFF) * (sums[sb + 2 * k] + sums[sb + 2 * k + 1]);
                m += ((m47 >>> 8 * k) & 0xFF) * (sums[sb + 8 + 2 * k] + sums[sb + 9 + 2 * k]);
            }
            float dx = xd[b];
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, half(src, bo) * dx), acc);
            mins += half(src, bo + 2) * dx * m;
        }
        acc.intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0) - mins;
    }

    @Override
    public boolean canQuantize() { return true; }

    /**
     * Min-max quantizer: per sub-block, scale = (max − min) / 15 over [min(0, min), max]; scales and
     * minima are then quantized to six bits against the super-block's largest. Simpler than
     * llama.cpp's iterative search (a slightly larger error), same layout.
     */
    @Override
    public void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        float[] scales = new float[8], mins = new float[8];
        int[] ls = new int[8], lm = new int[8];
        for (int b = 0; b < blocks; b++) {
            int so = srcOff + b * 256;
            long bo = off + b * 144L;
            float maxScale = 0, maxMin = 0;
            for (int j = 0; j < 8; j++) {
                float mn = 0, mx = Float.NEGATIVE_INFINITY;
                for (int l = 0; l < 32; l++) {
                    float v = src[so + 32 * j + l];
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
                scales[j] = Math.max(0, mx - mn) / 15f;
                mins[j] = -mn;
                maxScale = Math.max(maxScale, scales[j]);
                maxMin = Math.max(maxMin, mins[j]);
            }
            float inv = maxScale > 0 ? 63f / maxScale : 0f, invM = maxMin > 0 ? 63f / maxMin : 0f;
            for (int j = 0; j < 8; j++) {
                ls[j] = Math.min(63, QuantKernels.nearestEven(inv * scales[j]));
                lm[j] = Math.min(63, QuantKernels.nearestEven(invM * mins[j]));
            }
            float d = maxScale / 63f, dmin = maxMin / 63f;
            QuantKernels.putHalf(dst, bo, d);
            QuantKernels.putHalf(dst, bo + 2, dmin);
            d = half(dst, bo);
            dmin = half(dst, bo + 2);
            byte[] sc = new byte[12];
            for (int j = 0; j < 8; j++) {
                if (j < 4) {
                    sc[j] = (byte) ls[j];
                    sc[j + 4] = (byte) lm[j];
                } else {
                    sc[j + 4] = (byte) ((ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                    sc[j - 4] |= (byte) ((ls[j] >> 4) << 6);
                    sc[j] |= (byte) ((lm[j] >> 4) << 6);
                }
            }
            for (int i = 0; i < 12; i++) dst.set(ValueLayout.JAVA_BYTE, bo + 4 + i, sc[i]);
            int[] q = new int[256];
            for (int j = 0; j < 8; j++) {
                float dj = d * ls[j], mj = dmin * lm[j];
                for (int l = 0; l < 32; l++) {
                    int v = dj > 0 ? QuantKernels.nearestEven((src[so + 32 * j + l] + mj) / dj) : 0;
                    q[32 * j + l] = Math.max(0, Math.min(15, v));
                }
            }
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    dst.set(ValueLayout.JAVA_BYTE, bo + 16 + 32L * j + l, (byte) (q[64 * j + l] | (q[64 * j + 32 + l] << 4)));
                }
            }
        }
    }
}
