package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.drllm.quant.QuantKernels.B;
import static dev.drllm.quant.QuantKernels.F;
import static dev.drllm.quant.QuantKernels.I;
import static dev.drllm.quant.QuantKernels.LANES;
import static dev.drllm.quant.QuantKernels.LE;
import static dev.drllm.quant.QuantKernels.half;
import static dev.drllm.quant.QuantKernels.u8;

/**
 * Q6_K: super-blocks of 256 weights: 128 bytes of low nibbles {@code ql}, 64 bytes of high bit
 * pairs {@code qh}, 16 int8 scales (one per 16 weights), {@code d} (f16); w = d · sc · (q − 32).
 * Each half of 128 weights uses 64 bytes of ql, 32 of qh and 8 scales: weight l + 32k (k < 4)
 * takes its nibble from ql[l + 32 (k & 1)] (low for k < 2, high above) and bits 2k, 2k + 1 of qh[l].
 */
public final class Q6_K implements BlockCodec {
    static final Q6_K INSTANCE = new Q6_K();

    private Q6_K() {}

    @Override
    public DType type() { return DType.Q6_K; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n, sc = bo + 192 + 8L * n;
                int o = outOff + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += LANES) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, src, ql + l, LE);
                    ByteVector c = ByteVector.fromMemorySegment(B, src, ql + 32 + l, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, src, qh + l, LE);
                    ByteVector q1 = a.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q2 = c.and((byte) 0xF).or(h.and((byte) 0xC).lanewise(VectorOperators.LSHL, 2)).sub((byte) 32);
                    ByteVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and((byte) 0x30)).sub((byte) 32);
                    ByteVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is)).intoArray(out, o + l);
                    ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2)).intoArray(out, o + l + 32);
                    ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4)).intoArray(out, o + l + 64);
                    ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6)).intoArray(out, o + l + 96);
                }
            }
        }
    }

    /**
     * Fused decode and dot: each 16-byte load of ql / qh is zero-extended to int lanes once and the six-bit
     * values are assembled there (x86 has no byte-lane shift: the byte version cost several
     * instructions per shift); the four 32-weight groups of a half feed four accumulators, so no
     * FMA waits on the previous one.
     */
    @Override
    public float dot(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        FloatVector a1 = FloatVector.zero(F), a2 = a1, a3 = a1, a4 = a1;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n, sc = bo + 192 + 8L * n;
                int xo = xOff + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += LANES) {
                    int is = l / 16;
                    IntVector a = (IntVector) ByteVector.fromMemorySegment(B, src, ql + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector c = (IntVector) ByteVector.fromMemorySegment(B, src, ql + 32 + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector h = (IntVector) ByteVector.fromMemorySegment(B, src, qh + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector q1 = a.and(0xF).or(h.and(3).lanewise(VectorOperators.LSHL, 4));
                    IntVector q2 = c.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2));
                    IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30));
                    IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30));
                    // (q − 32) · s as one fma: q · s is exact in the fma and −32 · s is exact, so the one rounding gives the same bits
                    float s1 = d * src.get(ValueLayout.JAVA_BYTE, sc + is), s2 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2);
                    float s3 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4), s4 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6);
                    FloatVector w1 = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).fma(s1, -32 * s1);
                    FloatVector w2 = ((FloatVector) q2.convert(VectorOperators.I2F, 0)).fma(s2, -32 * s2);
                    FloatVector w3 = ((FloatVector) q3.convert(VectorOperators.I2F, 0)).fma(s3, -32 * s3);
                    FloatVector w4 = ((FloatVector) q4.convert(VectorOperators.I2F, 0)).fma(s4, -32 * s4);
                    a1 = w1.fma(FloatVector.fromArray(F, x, xo + l), a1);
                    a2 = w2.fma(FloatVector.fromArray(F, x, xo + l + 32), a2);
                    a3 = w3.fma(FloatVector.fromArray(F, x, xo + l + 64), a3);
                    a4 = w4.fma(FloatVector.fromArray(F, x, xo + l + 96), a4);
                }
            }
        }
        a1.add(a2).add(a3.add(a4)).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    @Override
    public boolean canQuantize() { return true; }

    /**
     * Absolute-maximum quantizer: per 16 weights, scale = (the value of largest magnitude) / −32;
     * the 16 scales are quantized to int8 against the largest. Simpler than llama.cpp's search.
     */
    @Override
    public void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        float[] scales = new float[16];
        int[] L = new int[256];
        for (int b = 0; b < blocks; b++) {
            int so = srcOff + b * 256;
            long bo = off + b * 210L;
            for (int j = 0; j < 16; j++) scales[j] = QuantKernels.largestMagnitude(src, so + 16 * j, 16) / -32f;
            float maxScale = QuantKernels.largestMagnitude(scales, 0, 16);
            float iscale = maxScale != 0 ? -128f / maxScale : 0f;
            float d = iscale != 0 ? 1f / iscale : 0f;
            QuantKernels.putHalf(dst, bo + 208, d);
            d = half(dst, bo + 208);
            for (int j = 0; j < 16; j++) {
                int s = Math.max(-128, Math.min(127, QuantKernels.nearestEven(iscale * scales[j])));
                dst.set(ValueLayout.JAVA_BYTE, bo + 192 + j, (byte) s);
                float dj = d * s;
                for (int l = 0; l < 16; l++) {
                    int q = dj != 0 ? QuantKernels.nearestEven(src[so + 16 * j + l] / dj) : 0;
                    L[16 * j + l] = Math.max(-32, Math.min(31, q)) + 32;
                }
            }
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n;
                int base = 128 * n;
                for (int l = 0; l < 32; l++) {
                    int q1 = L[base + l], q2 = L[base + l + 32], q3 = L[base + l + 64], q4 = L[base + l + 96];
                    dst.set(ValueLayout.JAVA_BYTE, ql + l, (byte) ((q1 & 0xF) | ((q3 & 0xF) << 4)));
                    dst.set(ValueLayout.JAVA_BYTE, ql + l + 32, (byte) ((q2 & 0xF) | ((q4 & 0xF) << 4)));
                    dst.set(ValueLayout.JAVA_BYTE, qh + l, (byte) ((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6)));
                }
            }
        }
    }
}
