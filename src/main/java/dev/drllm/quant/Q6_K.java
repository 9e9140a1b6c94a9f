package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShuffle;
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
import static dev.drllm.quant.Q8Activation.BS;
import static dev.drllm.quant.Q8Activation.S;
import static dev.drllm.quant.Q8Activation.SL;

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
     * Scale lanes for a 16-bit product vector: for half n, group k and chunk ci, int lane i (the
     * pair of weights l, l + 1 with l = ci · SL + 2i) takes scale g = 8n + 2k + l / 16, lane
     * g % ILANES of the int8 scales widened from byte {@link #SCALE_AT} of the 16 (all of a chunk's
     * scales lie in one such vector: one or two of them with AVX-512, one with AVX2).
     */
    private static final int CHUNKS = 32 / SL;
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Integer>[] SCALE_LANES = new VectorShuffle[2 * 4 * CHUNKS];
    private static final int[] SCALE_AT = new int[2 * 4 * CHUNKS];

    static {
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 4; k++) {
                for (int ci = 0; ci < CHUNKS; ci++) {
                    int base = 8 * n + 2 * k, c0 = ci * SL;
                    SCALE_LANES[(n * 4 + k) * CHUNKS + ci] = VectorShuffle.fromOp(I, i -> (base + (c0 + 2 * i) / 16) % I.length());
                    SCALE_AT[(n * 4 + k) * CHUNKS + ci] = (base + c0 / 16) / I.length() * I.length();
                }
            }
        }
    }

    /**
     * Decode matvec on 8-bit activations ({@link Q8Activation}, once per call): per super-block,
     * Σ w · x = d · dx · (Σ_g sc_g Σ q · qx − 32 Σ_g sc_g Σ qx) with q the unsigned six-bit value,
     * the last sums precomputed with the activations. The loads of ql / qh are widened to 16-bit
     * lanes once and the six-bit values assembled there; q · qx fits 16 bits (≤ 63 · 127) and one
     * 32-bit multiply by 0x10001 sums neighbouring products into the upper half of each int lane
     * (the Vector API has no pairwise multiply-add), which the group's int8 scale then multiplies:
     * a vector of the 16 scales is loaded once per half and permuted into per-lane scales.
     */
    @Override
    public void matvec(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        Q8Activation.matvec(this, Q6_K::dotQ8, w, x, xOff, in, y, yOff, r0, r1, tmp);
    }

    private static float dotQ8(MemorySegment src, long off, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        int il = I.length();
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            int xb = b * 256;
            IntVector isum = IntVector.zero(I);
            // the offset term: −32 Σ_g sc_g · Σ qx over the 16 groups (lanes are summed at the end in any case)
            for (int g = 0; g < 16; g += il) {
                IntVector sc = (IntVector) ByteVector.fromMemorySegment(B, src, bo + 192 + g, LE).convertShape(VectorOperators.B2I, I, 0);
                isum = sc.mul(IntVector.fromArray(I, sums, b * 16 + g)).lanewise(VectorOperators.LSHL, 5).neg().add(isum);
            }
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n;
                int xo = xb + 128 * n;
                for (int ci = 0; ci < CHUNKS; ci++) {
                    int l = ci * SL, sh = (n * 4) * CHUNKS + ci;
                    ShortVector a = (ShortVector) ByteVector.fromMemorySegment(BS, src, ql + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                    ShortVector c = (ShortVector) ByteVector.fromMemorySegment(BS, src, ql + 32 + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                    ShortVector h = (ShortVector) ByteVector.fromMemorySegment(BS, src, qh + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                    ShortVector q1 = a.and((short) 0xF).or(h.and((short) 3).lanewise(VectorOperators.LSHL, 4));
                    ShortVector q2 = c.and((short) 0xF).or(h.and((short) 0xC).lanewise(VectorOperators.LSHL, 2));
                    ShortVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and((short) 0x30));
                    ShortVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and((short) 0x30));
                    IntVector p1 = q1.mul(ShortVector.fromArray(S, xq, xo + l)).reinterpretAsInts();
                    isum = p1.lanewise(VectorOperators.LSHL, 16).add(p1).lanewise(VectorOperators.ASHR, 16)
                            .mul(((IntVector) ByteVector.fromMemorySegment(B, src, bo + 192 + SCALE_AT[sh], LE).convertShape(VectorOperators.B2I, I, 0)).rearrange(SCALE_LANES[sh])).add(isum);
                    IntVector p2 = q2.mul(ShortVector.fromArray(S, xq, xo + 32 + l)).reinterpretAsInts();
                    isum = p2.lanewise(VectorOperators.LSHL, 16).add(p2).lanewise(VectorOperators.ASHR, 16)
                            .mul(((IntVector) ByteVector.fromMemorySegment(B, src, bo + 192 + SCALE_AT[sh + CHUNKS], LE).convertShape(VectorOperators.B2I, I, 0)).rearrange(SCALE_LANES[sh + CHUNKS])).add(isum);
                    IntVector p3 = q3.mul(ShortVector.fromArray(S, xq, xo + 64 + l)).reinterpretAsInts();
                    isum = p3.lanewise(VectorOperators.LSHL, 16).add(p3).lanewise(VectorOperators.ASHR, 16)
                            .mul(((IntVector) ByteVector.fromMemorySegment(B, src, bo + 192 + SCALE_AT[sh + 2 * CHUNKS], LE).convertShape(VectorOperators.B2I, I, 0)).rearrange(SCALE_LANES[sh + 2 * CHUNKS])).add(isum);
                    IntVector p4 = q4.mul(ShortVector.fromArray(S, xq, xo + 96 + l)).reinterpretAsInts();
                    isum = p4.lanewise(VectorOperators.LSHL, 16).add(p4).lanewise(VectorOperators.ASHR, 16)
                            .mul(((IntVector) ByteVector.fromMemorySegment(B, src, bo + 192 + SCALE_AT[sh + 3 * CHUNKS], LE).convertShape(VectorOperators.B2I, I, 0)).rearrange(SCALE_LANES[sh + 3 * CHUNKS])).add(isum);
                }
            }
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, half(src, bo + 208) * xd[b]), acc);
        }
        acc.intoArray(tmp, 0);
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
