package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

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
        if (LANES == 4) {
            dequantize4(src, off, out, outOff, blocks);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n, sc = bo + 192 + 8L * n;
                int o = outOff + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += LANES) {
                    int is = l / 16;
                    // in int lanes, as the dot below: x86 has no byte-lane shift (~20% faster than byte lanes)
                    IntVector a = (IntVector) ByteVector.fromMemorySegment(B, src, ql + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector c = (IntVector) ByteVector.fromMemorySegment(B, src, ql + 32 + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector h = (IntVector) ByteVector.fromMemorySegment(B, src, qh + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector q1 = a.and(0xF).or(h.and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
                    IntVector q2 = c.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2)).sub(32);
                    IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30)).sub(32);
                    IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32);
                    ((FloatVector) q1.convert(VectorOperators.I2F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is)).intoArray(out, o + l);
                    ((FloatVector) q2.convert(VectorOperators.I2F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2)).intoArray(out, o + l + 32);
                    ((FloatVector) q3.convert(VectorOperators.I2F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4)).intoArray(out, o + l + 64);
                    ((FloatVector) q4.convert(VectorOperators.I2F, 0)).mul(d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6)).intoArray(out, o + l + 96);
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
        if (LANES == 4) return dotOn4Lanes(src, off, x, xOff, blocks, tmp);
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

    /**
     * Decode matvec. The weights are read as int lanes, four packed bytes each, and the six-bit
     * values are assembled there for four bytes at once (nibbles and high bit pairs by masks and
     * shifts inside each lane, no widening across lanes); each byte position is then one mask (or
     * a shift) and one int-to-float conversion away from a float vector. The activation is laid out
     * once per call to match that lane order ({@link Activation}), so every weight row is multiplied
     * with plain vector loads. The −32 offset is folded into the activation: Σ s (q − 32) x =
     * Σ s q x − 32 Σ_g s_g Σ_{i ∈ g} x_i, the per-16 sums precomputed, so the inner loop multiplies
     * raw q; the 16 scales of a super-block are applied per lane group, once per 64 weights.
     * 512-bit, 256-bit and 128-bit species have their own kernel ({@link #dot16}, {@link #dot8},
     * {@link #dot4}).
     */
    @Override
    public void matvec(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        if (LANES != 16 && LANES != 8 && LANES != 4) {
            BlockCodec.super.matvec(w, x, xOff, in, y, yOff, r0, r1, tmp);
            return;
        }
        Activation a = Activation.of(x, xOff, in);
        int blocks = in / 256;
        long rb = blocks * 210L;
        for (int o = r0; o < r1; o++) {
            y[yOff + o] = LANES == 16 ? dot16(w, o * rb, a.xp, a.xs, blocks, tmp)
                    : LANES == 8 ? dot8(w, o * rb, a.xp, a.xs, blocks, tmp) : dot4(w, o * rb, a.xp, a.xs, blocks, tmp);
        }
    }

    /**
     * Lane p of a weight vector (p < 16 counts the int lanes of a half super-block, in as many
     * vectors as the species needs) holds ql bytes 4p .. 4p + 3 of the half, i.e. weights
     * l = 4 (p mod 8) + j (j < 4 the byte) of the 32-weight groups k = p / 8 (low nibbles) and
     * k = p / 8 + 2 (high nibbles); its high bit pairs are in qh int p mod 8 of the half, at bits
     * 2k, 2k + 1 of byte j. Scale group of a lane: 8n + 4h + p / 4 (n the half, h = 0 for low
     * nibbles, 1 for high). The shuffle SC[k] picks lane p's scale from a vector of scales:
     * lanes (LANES / 4) · k + p / 4.
     */
    private static final VectorShuffle<Float> SC0 = scaleShuffle(0), SC1 = scaleShuffle(1), SC2 = scaleShuffle(2), SC3 = scaleShuffle(3);
    /** 16 lanes: the half's eight qh ints twice (half 0: ints 0–7, half 1: 8–15 of the block's 64 qh bytes). */
    private static final VectorShuffle<Integer> QH0 = VectorShuffle.fromOp(I, p -> (p % 8) % LANES), QH1 = VectorShuffle.fromOp(I, p -> (8 + p % 8) % LANES);
    /** 16 lanes: lanes 8–15 (k odd) take their bit pairs two bits higher up. */
    private static final IntVector QH_SHIFT = IntVector.fromArray(I, qhShifts(), 0);

    private static VectorShuffle<Float> scaleShuffle(int k) {
        return VectorShuffle.fromOp(F, p -> ((LANES / 4) * k + p / 4) % LANES);
    }

    private static int[] qhShifts() {
        int[] s = new int[LANES];
        for (int p = 0; p < LANES; p++) s[p] = 2 * ((p / 8) % 2);
        return s;
    }

    /** One row on 16 lanes: a half super-block's 64 ql bytes are one int vector. */
    private static float dot16(MemorySegment src, long off, float[] xp, float[] xs, int blocks, float[] tmp) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            int xo = b * 256;
            FloatVector sf = ((FloatVector) ByteVector.fromMemorySegment(B, src, bo + 192, LE).convertShape(VectorOperators.B2F, F, 0)).mul(half(src, bo + 208));
            acc2 = sf.fma(FloatVector.fromArray(F, xs, b * 16), acc2);
            IntVector qh = IntVector.fromMemorySegment(I, src, bo + 128, LE);
            // half 0
            IntVector t = qh.rearrange(QH0).lanewise(VectorOperators.LSHR, QH_SHIFT);
            IntVector ql = IntVector.fromMemorySegment(I, src, bo, LE);
            IntVector lo = ql.and(0x0F0F0F0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
            IntVector hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(t.and(0x30303030));
            FloatVector p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo));
            p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), p);
            p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32), p);
            p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 48), p);
            acc0 = p.fma(sf.rearrange(SC0), acc0);
            p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 64));
            p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 80), p);
            p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96), p);
            p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 112), p);
            acc1 = p.fma(sf.rearrange(SC1), acc1);
            // half 1
            t = qh.rearrange(QH1).lanewise(VectorOperators.LSHR, QH_SHIFT);
            ql = IntVector.fromMemorySegment(I, src, bo + 64, LE);
            lo = ql.and(0x0F0F0F0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
            hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(t.and(0x30303030));
            p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 128));
            p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 144), p);
            p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 160), p);
            p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 176), p);
            acc0 = p.fma(sf.rearrange(SC2), acc0);
            p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 192));
            p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 208), p);
            p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 224), p);
            p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 240), p);
            acc1 = p.fma(sf.rearrange(SC3), acc1);
        }
        acc0.add(acc1).add(acc2).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    /** One row on 8 lanes: a half super-block's ql bytes are two int vectors (c = 0, 1), its qh bytes one. */
    private static float dot8(MemorySegment src, long off, float[] xp, float[] xs, int blocks, float[] tmp) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                int xo = b * 256 + 128 * n;
                FloatVector sf = ((FloatVector) ByteVector.fromMemorySegment(B, src, bo + 192 + 8 * n, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                acc2 = sf.fma(FloatVector.fromArray(F, xs, b * 16 + 8 * n), acc2);
                IntVector qh = IntVector.fromMemorySegment(I, src, bo + 128 + 32 * n, LE);
                // c = 0: groups k = 0 (low nibbles) and 2 (high), bit pairs 0–1 and 4–5
                IntVector ql = IntVector.fromMemorySegment(I, src, bo + 64 * n, LE);
                IntVector lo = ql.and(0x0F0F0F0F).or(qh.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                IntVector hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(qh.and(0x30303030));
                FloatVector p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo));
                p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), p);
                p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32), p);
                p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 48), p);
                acc0 = p.fma(sf.rearrange(SC0), acc0);
                p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 64));
                p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 80), p);
                p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96), p);
                p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 112), p);
                acc1 = p.fma(sf.rearrange(SC2), acc1);
                // c = 1: groups k = 1 and 3, bit pairs 2–3 and 6–7
                IntVector t = qh.lanewise(VectorOperators.LSHR, 2);
                ql = IntVector.fromMemorySegment(I, src, bo + 64 * n + 32, LE);
                lo = ql.and(0x0F0F0F0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(t.and(0x30303030));
                p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 8));
                p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 24), p);
                p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 40), p);
                p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 56), p);
                acc0 = p.fma(sf.rearrange(SC1), acc0);
                p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 72));
                p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 88), p);
                p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 104), p);
                p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 120), p);
                acc1 = p.fma(sf.rearrange(SC3), acc1);
            }
        }
        // lane-wise (acc0 + acc1) + acc2 in scalars, the vector adds' bits: no vector arithmetic after the loop.
        // dot8 is compiled apart (too big to inline), and some C2 compiles of it left those two adds on the
        // Vector API's Java fallback, 128 bytes per row (CpuBackendDecodeTest's allocation probe, 2026-12-02);
        // the stores' fallback allocates nothing
        acc0.intoArray(tmp, 0);
        acc1.intoArray(tmp, LANES);
        acc2.intoArray(tmp, 2 * LANES);
        for (int k = 0; k < LANES; k++) tmp[k] = tmp[k] + tmp[LANES + k] + tmp[2 * LANES + k];
        return QuantKernels.hsum(tmp, 0);
    }

    /**
     * The activation of one matvec call in the weight kernels' lane order (Q6_K's own layout, per
     * thread). Per 64 values (a half super-block's low or high nibbles) xp[64c' + 16j + 8c + q]
     * = x[64c' + 32c + 4q + j] · 2^(−8j) for j = 1, 2 (those bytes are masked in place, worth
     * q · 2^(8j): the factor is exact unless x is below 2^−110), unscaled for j = 0, 3; and
     * xs[g] = −32 Σ x over the 16 values of scale group g (summed in double, one rounding).
     */
    static final class Activation {
        private static final ThreadLocal<Activation> LOCAL = ThreadLocal.withInitial(Activation::new);
        private static final float S8 = 0x1p-8f, S16 = 0x1p-16f;

        float[] xp = new float[0], xs = new float[0];

        /** The input {@link #xp} was last laid out from. */
        private final LastInput last = new LastInput();

        /** The calling thread's layout of {@code x[off .. off + n)}, kept from the previous call when its input was the same ({@link LastInput}). */
        static Activation of(float[] x, int off, int n) {
            Activation a = LOCAL.get();
            if (a.last.matches(x, off, n)) return a;
            a.last.forget();
            a.layOut(x, off, n);
            a.last.remember(x, off, n);
            return a;
        }

        void layOut(float[] x, int off, int n) {
            if (n % 256 != 0) throw new IllegalArgumentException("Q6_K rows need a multiple of 256 values, got " + n);
            if (xp.length < n) {
                xp = new float[n];
                xs = new float[n / 16];
            }
            for (int c64 = 0; c64 < n; c64 += 64) {
                for (int c = 0; c < 2; c++) {
                    for (int q = 0; q < 8; q++) {
                        int s = off + c64 + 32 * c + 4 * q, d = c64 + 8 * c + q;
                        xp[d] = x[s];
                        xp[d + 16] = x[s + 1] * S8;
                        xp[d + 32] = x[s + 2] * S16;
                        xp[d + 48] = x[s + 3];
                    }
                }
            }
            for (int g = 0; g < n / 16; g++) {
                double s = 0;
                for (int i = 0; i < 16; i++) s += x[off + 16 * g + i];
                xs[g] = -32 * (float) s;
            }
        }
    }

    /*
     * 4 lanes (128-bit vectors). There is no 32-bit byte vector, so ql and qh are read 16 bytes per
     * load and the six-bit values assembled in byte lanes, once per 16 weights of each group (in
     * int lanes, as the wider paths do, each load would be widened in four parts and every mask
     * and shift repeated four times); each is then widened to floats in four parts (convertShape
     * B2F, parts 0-3). The decode matvec has its own 4-lane kernel ({@link #dot4}).
     */

    /** {@link #dequantize} on 4 lanes. */
    private static void dequantize4(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n, sc = bo + 192 + 8L * n;
                int o = outOff + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += 16) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, src, ql + l, LE), c = ByteVector.fromMemorySegment(B, src, ql + 32 + l, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, src, qh + l, LE);
                    ByteVector q1 = a.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q2 = c.and((byte) 0xF).or(h.and((byte) 0xC).lanewise(VectorOperators.LSHL, 2)).sub((byte) 32);
                    ByteVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and((byte) 0x30)).sub((byte) 32);
                    ByteVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 0x30)).sub((byte) 32);
                    float s1 = d * src.get(ValueLayout.JAVA_BYTE, sc + is), s2 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2);
                    float s3 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4), s4 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6);
                    ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 0)).mul(s1).intoArray(out, o + l);
                    ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 1)).mul(s1).intoArray(out, o + l + 4);
                    ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 2)).mul(s1).intoArray(out, o + l + 8);
                    ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 3)).mul(s1).intoArray(out, o + l + 12);
                    ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 0)).mul(s2).intoArray(out, o + l + 32);
                    ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 1)).mul(s2).intoArray(out, o + l + 32 + 4);
                    ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 2)).mul(s2).intoArray(out, o + l + 32 + 8);
                    ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 3)).mul(s2).intoArray(out, o + l + 32 + 12);
                    ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 0)).mul(s3).intoArray(out, o + l + 64);
                    ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 1)).mul(s3).intoArray(out, o + l + 64 + 4);
                    ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 2)).mul(s3).intoArray(out, o + l + 64 + 8);
                    ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 3)).mul(s3).intoArray(out, o + l + 64 + 12);
                    ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 0)).mul(s4).intoArray(out, o + l + 96);
                    ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 1)).mul(s4).intoArray(out, o + l + 96 + 4);
                    ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 2)).mul(s4).intoArray(out, o + l + 96 + 8);
                    ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 3)).mul(s4).intoArray(out, o + l + 96 + 12);
                }
            }
        }
    }

    /**
     * One row on 4 lanes (128-bit vectors): a half super-block's ql bytes are four int vectors
     * (v = 0..3: lanes p = 4v .. 4v + 3), its qh bytes two (v mod 2), taken two bits higher up for
     * v ≥ 2 (groups k = 1 and 3). All four lanes of vector v share one scale group, 8n + 4h + v, so
     * each scale is a broadcast (no shuffle, unlike {@link #dot8}); the activation is
     * {@link Activation}'s layout, byte j of vector v at xp[16j + 4v] of each 64.
     */
    private static float dot4(MemorySegment src, long off, float[] xp, float[] xs, int blocks, float[] tmp) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            ByteVector scb = ByteVector.fromMemorySegment(B, src, bo + 192, LE);
            acc2 = ((FloatVector) scb.convertShape(VectorOperators.B2F, F, 0)).mul(d).fma(FloatVector.fromArray(F, xs, b * 16), acc2);
            acc2 = ((FloatVector) scb.convertShape(VectorOperators.B2F, F, 1)).mul(d).fma(FloatVector.fromArray(F, xs, b * 16 + 4), acc2);
            acc2 = ((FloatVector) scb.convertShape(VectorOperators.B2F, F, 2)).mul(d).fma(FloatVector.fromArray(F, xs, b * 16 + 8), acc2);
            acc2 = ((FloatVector) scb.convertShape(VectorOperators.B2F, F, 3)).mul(d).fma(FloatVector.fromArray(F, xs, b * 16 + 12), acc2);
            for (int n = 0; n < 2; n++) {
                long sc = bo + 192 + 8L * n;
                IntVector qh0 = IntVector.fromMemorySegment(I, src, bo + 128 + 32L * n, LE), qh1 = IntVector.fromMemorySegment(I, src, bo + 144 + 32L * n, LE);
                for (int v = 0; v < 4; v++) {
                    int xo = b * 256 + 128 * n + 4 * v;
                    IntVector t = (v & 1) == 0 ? qh0 : qh1;
                    if (v >= 2) t = t.lanewise(VectorOperators.LSHR, 2);
                    IntVector ql = IntVector.fromMemorySegment(I, src, bo + 64L * n + 16L * v, LE);
                    IntVector lo = ql.and(0x0F0F0F0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                    IntVector hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(t.and(0x30303030));
                    FloatVector p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo));
                    p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), p);
                    p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32), p);
                    p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 48), p);
                    acc0 = p.fma(FloatVector.broadcast(F, d * src.get(ValueLayout.JAVA_BYTE, sc + v)), acc0);
                    p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 64));
                    p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 80), p);
                    p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96), p);
                    p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 112), p);
                    acc1 = p.fma(FloatVector.broadcast(F, d * src.get(ValueLayout.JAVA_BYTE, sc + 4 + v)), acc1);
                }
            }
        }
        acc0.add(acc1).add(acc2).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    /**
     * {@link #dot} on 4 lanes: per 16 weights of a group, the raw (q − 32) · x products are summed
     * in four FMAs and scaled once (all 16 share a scale), into the group's accumulator.
     */
    private static float dotOn4Lanes(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        FloatVector a1 = FloatVector.zero(F), a2 = a1, a3 = a1, a4 = a1;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n, sc = bo + 192 + 8L * n;
                int xo = xOff + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += 16) {
                    int is = l / 16, x1 = xo + l, x2 = x1 + 32, x3 = x1 + 64, x4 = x1 + 96;
                    ByteVector a = ByteVector.fromMemorySegment(B, src, ql + l, LE), c = ByteVector.fromMemorySegment(B, src, ql + 32 + l, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, src, qh + l, LE);
                    ByteVector q1 = a.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q2 = c.and((byte) 0xF).or(h.and((byte) 0xC).lanewise(VectorOperators.LSHL, 2)).sub((byte) 32);
                    ByteVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and((byte) 0x30)).sub((byte) 32);
                    ByteVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 0x30)).sub((byte) 32);
                    FloatVector p1 = ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, x, x1));
                    FloatVector p2 = ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, x, x2));
                    FloatVector p3 = ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, x, x3));
                    FloatVector p4 = ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, x, x4));
                    p1 = ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, x1 + 4), p1);
                    p2 = ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, x2 + 4), p2);
                    p3 = ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, x3 + 4), p3);
                    p4 = ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, x4 + 4), p4);
                    p1 = ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, x1 + 8), p1);
                    p2 = ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, x2 + 8), p2);
                    p3 = ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, x3 + 8), p3);
                    p4 = ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, x4 + 8), p4);
                    p1 = ((FloatVector) q1.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, x1 + 12), p1);
                    p2 = ((FloatVector) q2.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, x2 + 12), p2);
                    p3 = ((FloatVector) q3.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, x3 + 12), p3);
                    p4 = ((FloatVector) q4.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, x4 + 12), p4);
                    a1 = p1.fma(FloatVector.broadcast(F, d * src.get(ValueLayout.JAVA_BYTE, sc + is)), a1);
                    a2 = p2.fma(FloatVector.broadcast(F, d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2)), a2);
                    a3 = p3.fma(FloatVector.broadcast(F, d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4)), a3);
                    a4 = p4.fma(FloatVector.broadcast(F, d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6)), a4);
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
