package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.drllm.quant.QuantKernels.B;
import static dev.drllm.quant.QuantKernels.F;
import static dev.drllm.quant.QuantKernels.INT_LE;
import static dev.drllm.quant.QuantKernels.I;
import static dev.drllm.quant.QuantKernels.LANES;
import static dev.drllm.quant.QuantKernels.LE;
import static dev.drllm.quant.QuantKernels.LONG_LE;
import static dev.drllm.quant.QuantKernels.SHORT_LE;
import static dev.drllm.quant.QuantKernels.half;
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
        return scaleMin(s.get(LONG_LE, so), s.get(INT_LE, so + 8), j);
    }

    /**
     * The same from the 12 bytes read as a little-endian long (bytes 0–7) and int (8–11): scales
     * 0–3 and minima 0–3 are the low six bits of bytes 0–3 and 4–7; scale (minimum) j ≥ 4 is the
     * low (high) nibble of byte j + 4 under the top two bits of byte j − 4 (byte j).
     */
    static int scaleMin(long lo, int hi, int j) {
        int sc, m;
        if (j < 4) {
            sc = (int) (lo >>> (8 * j)) & 63;
            m = (int) (lo >>> (8 * j + 32)) & 63;
        } else {
            int h = hi >>> (8 * (j - 4));
            sc = (h & 0xF) | (((int) (lo >>> (8 * (j - 4))) & 0xC0) >> 2);
            m = ((h >>> 4) & 0xF) | ((((int) (lo >>> (8 * j))) & 0xC0) >> 2);
        }
        return sc | (m << 8);
    }

    /**
     * The 12 scale bytes are read once per super-block (a long and an int, unpacked in registers:
     * byte-wise segment reads cost more than the nibbles), and each load of nibble bytes is
     * zero-extended to int lanes, where the high nibble is one shift (x86 has no byte-lane shift).
     * ~35% faster than byte lanes and per-byte scale reads (the prefill GEMM widens its tiles with
     * this); the same values.
     */
    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        if (LANES == 4) {
            dequantize4(src, off, out, outOff, blocks);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            long lo = src.get(LONG_LE, bo + 4);
            int hi = src.get(INT_LE, bo + 12);
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int sm1 = scaleMin(lo, hi, 2 * j), sm2 = scaleMin(lo, hi, 2 * j + 1);
                FloatVector d1 = FloatVector.broadcast(F, d * (sm1 & 0xFF)), m1 = FloatVector.broadcast(F, -dmin * (sm1 >> 8));
                FloatVector d2 = FloatVector.broadcast(F, d * (sm2 & 0xFF)), m2 = FloatVector.broadcast(F, -dmin * (sm2 >> 8));
                long q = bo + 16 + 32L * j;
                for (int c = 0; c < 32; c += LANES) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B, src, q + c, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1).intoArray(out, o + 64 * j + c);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2).intoArray(out, o + 64 * j + 32 + c);
                }
            }
        }
    }

    /** Whether one load of nibble bytes spans two 32-byte groups (512-bit vectors): the dot then unpacks the scales in vector lanes. */
    static final boolean WIDE = SL >= 32;
    /** Nibble bytes per load. */
    private static final int STEP = 2 * SL;
    private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Long> L4 = LongVector.SPECIES_256;
    private static final VectorSpecies<Short> S8 = ShortVector.SPECIES_128;
    /** Right shifts that leave minimum 0, 4, 1, 5, 2, 6, 3, 7 in the low byte of a broadcast (m0..3 | m4..7 << 32). */
    private static final int[] MIN_SHIFT = {0, 0, 8, 8, 16, 16, 24, 24};
    /**
     * The 12 scale bytes zero-extended to 16 int lanes x[0..15] become [sc0..sc7 | m0..m7] as
     * ((x[P1] >>> UNPACK[0..15]) & UNPACK[16..31]) | ((x[P2] >>> 2) & UNPACK[32..47]) (the layout in
     * {@link #scaleMin}); SC_* pick sub-block 2g's or 2g + 1's scale for each half of a load.
     */
    private static final int[] UNPACK = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4,
        63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15,
        0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30, 0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30};
    private static final VectorShuffle<Integer> P1 = wideShuffle(0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11);
    private static final VectorShuffle<Integer> P2 = wideShuffle(0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7);
    private static final VectorShuffle<Integer> SC_LO0 = wideShuffle(0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2);
    private static final VectorShuffle<Integer> SC_HI0 = wideShuffle(1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3);
    private static final VectorShuffle<Integer> SC_LO1 = wideShuffle(4, 4, 4, 4, 4, 4, 4, 4, 6, 6, 6, 6, 6, 6, 6, 6);
    private static final VectorShuffle<Integer> SC_HI1 = wideShuffle(5, 5, 5, 5, 5, 5, 5, 5, 7, 7, 7, 7, 7, 7, 7, 7);

    private static VectorShuffle<Integer> wideShuffle(int... idx) {
        return WIDE ? VectorShuffle.fromValues(I, idx) : null;
    }

    /**
     * Decode matvec on 8-bit activations ({@link Q8Activation}, laid out once per input, not per
     * row chunk: {@link LastInput}). Per super-block,
     * with x ≈ dx · qx: Σ w · x = dx · (d · Σ_j sc_j Σ q · qx − dmin · Σ_j m_j Σ qx), the last sum
     * precomputed with the activations. Each row is first copied to a per-thread {@code short[]}
     * (one bulk copy; the dot then reads plain arrays, whose bounds checks C2 hoists, where segment
     * reads each carried a long-range check). A 16-bit load of nibble bytes holds four weights per
     * lane (the low and high nibbles of two neighbouring bytes); the activations are stored in that
     * lane order once per call ({@link Q8Activation#K4_ORDER}), so the four nibble vectors (a mask or
     * a shift each) multiply lane-aligned activations with no widening or shuffle. q · qx fits 16 bits
     * (≤ 15 · 127), the two products of one sub-block in a lane too (≤ 3810), and a shift-add-shift
     * sums neighbouring lanes into ints (the Vector API has no pairwise multiply-add) before the
     * six-bit scale multiplies them. With 512-bit vectors the 12 scale bytes are unpacked in int
     * lanes (two permutes, masks, shifts) and each half-vector's scale is a permute of that vector;
     * the minimum term is one multiply of the same vector by the activation sums.
     */
    @Override
    public void matvec(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        Q8Activation a = Q8Activation.forQ4K(x, xOff, in);
        int blocks = in / 256, rs = blocks * 72;
        long rb = blocks * 144L;
        short[] row = a.row(rs);
        for (int o = r0; o < r1; o++) {
            MemorySegment.copy(w, SHORT_LE, o * rb, row, 0, rs);
            y[yOff + o] = WIDE ? dotWide(row, a.k4, a.d, a.k4sums, blocks, tmp)
                    : LANES == 4 ? dot128(row, a.k4, a.d, a.k4sums, blocks, tmp) : dotNarrow(row, a.k4, a.d, a.k4sums, blocks, tmp);
        }
    }

    /** One row (super-block b at short 72 · b of {@code w}) with 512-bit vectors: two loads of 64 nibble bytes per super-block. */
    private static float dotWide(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F), accM = FloatVector.zero(F);
        IntVector u1 = IntVector.fromArray(I, UNPACK, 0), u2 = IntVector.fromArray(I, UNPACK, 16), u3 = IntVector.fromArray(I, UNPACK, 32);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            IntVector x = (IntVector) ShortVector.fromArray(S8, w, bo + 2).reinterpretAsBytes().convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector sm = x.rearrange(P1).lanewise(VectorOperators.LSHR, u1).and(u2).or(x.rearrange(P2).lanewise(VectorOperators.LSHR, 2).and(u3));
            ShortVector v = ShortVector.fromArray(S, w, bo + 8);
            ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xb))
                    .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xb + 32)));
            ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xb + 64))
                    .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xb + 96)));
            IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
            pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
            ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
            IntVector isum = pl.mul(sm.rearrange(SC_LO0)).add(ph.mul(sm.rearrange(SC_HI0)));
            v = ShortVector.fromArray(S, w, bo + 40);
            lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xb + 128))
                    .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xb + 160)));
            hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xb + 192))
                    .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xb + 224)));
            pl = lo.reinterpretAsInts();
            ph = hi.reinterpretAsInts();
            pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
            ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
            isum = pl.mul(sm.rearrange(SC_LO1)).add(ph.mul(sm.rearrange(SC_HI1))).add(isum);
            float dx = xd[b];
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
            accM = ((FloatVector) sm.mul(IntVector.fromArray(I, sums, b * 16)).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
        }
        acc.sub(accM).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    /**
     * One row with narrower vectors (AVX2: 256-bit): each load of 2 · SL nibble bytes lies in one
     * 32-byte group, so its two scales are scalars (unpacked from three ints, as llama.cpp's kernels
     * do); the minima come out of one broadcast long by per-lane shifts into 8 int lanes.
     */
    private static float dotNarrow(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F8);
        IntVector minShift = IntVector.fromArray(I8, MIN_SHIFT, 0);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s1 = (w[bo + 4] & 0xFFFF) | (w[bo + 5] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            // scales 0-3 and minima 0-3: the low six bits of s0 / s1's bytes; 4-7: s2's nibbles and the top two bits of s0 / s1's bytes
            int sc03 = s0 & 0x3F3F3F3F, m03 = s1 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030), m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            IntVector isum = IntVector.zero(I);
            for (int i = 0; i < 128 / STEP; i++) {
                ShortVector v = ShortVector.fromArray(S, w, bo + 8 + i * SL);
                int xo = xb + i * 4 * SL;
                ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + SL)));
                ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 2 * SL))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xo + 3 * SL)));
                IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
                pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
                ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
                int g = i * STEP / 32, sc = g < 2 ? sc03 : sc47, sh = 16 * (g & 1);
                isum = pl.mul((sc >>> sh) & 0xFF).add(isum);
                isum = ph.mul((sc >>> (sh + 8)) & 0xFF).add(isum);
            }
            float dx = xd[b];
            long ml = (m03 & 0xFFFFFFFFL) | ((long) m47 << 32);
            IntVector mv = LongVector.broadcast(L4, ml).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF);
            accM = ((FloatVector) mv.mul(IntVector.fromArray(I8, sums, b * 8)).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8, Float.float16ToFloat(w[bo + 1]) * dx), accM);
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
        }
        acc.intoArray(tmp, 0);
        float s = QuantKernels.hsum(tmp, 0);
        accM.intoArray(tmp, 0);
        float m = 0;
        for (int k = 0; k < 8; k++) m += tmp[k];
        return s - m;
    }

    /**
     * {@link #dequantize} on 4 lanes (128-bit vectors): 16 nibble bytes per load (there is no 32-bit
     * byte vector), zero-extended to int lanes in four parts (convertShape, parts 0-3); the nibbles
     * are then split in int lanes as on the wider paths.
     */
    private static void dequantize4(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            long lo = src.get(LONG_LE, bo + 4);
            int hi = src.get(INT_LE, bo + 12);
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int sm1 = scaleMin(lo, hi, 2 * j), sm2 = scaleMin(lo, hi, 2 * j + 1);
                FloatVector d1 = FloatVector.broadcast(F, d * (sm1 & 0xFF)), m1 = FloatVector.broadcast(F, -dmin * (sm1 >> 8));
                FloatVector d2 = FloatVector.broadcast(F, d * (sm2 & 0xFF)), m2 = FloatVector.broadcast(F, -dmin * (sm2 >> 8));
                long q = bo + 16 + 32L * j;
                for (int c = 0; c < 32; c += 16) {
                    ByteVector bv = ByteVector.fromMemorySegment(B, src, q + c, LE);
                    int ol = o + 64 * j + c, oh = ol + 32;
                    IntVector v = (IntVector) bv.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1).intoArray(out, ol);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2).intoArray(out, oh);
                    v = (IntVector) bv.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 1);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1).intoArray(out, ol + 4);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2).intoArray(out, oh + 4);
                    v = (IntVector) bv.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 2);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1).intoArray(out, ol + 8);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2).intoArray(out, oh + 8);
                    v = (IntVector) bv.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 3);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1).intoArray(out, ol + 12);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2).intoArray(out, oh + 12);
                }
            }
        }
    }

    /** 64-bit lanes of the 128-bit shape: one long of eight packed minima broadcast, read as 4 int lanes. */
    private static final VectorSpecies<Long> L2 = LongVector.SPECIES_128;

    /**
     * One row on 4 lanes (128-bit vectors): {@link #dotNarrow}'s arithmetic (8 short lanes per
     * nibble load, the same activation lane order) without its 256-bit species, which a 128-bit
     * machine would not compile to vector instructions. The eight minima come out of the broadcast
     * long as two 4-lane vectors (shifts 0, 0, 8, 8 and 16, 16, 24, 24: minima 0, 4, 1, 5 and
     * 2, 6, 3, 7, the order of {@link Q8Activation#k4sums}).
     *
     * <p>The super-block loop repeats {@link #dotNarrow}'s on purpose: moved into a shared method
     * returning the int sums (2026-12-02), C2 compiled that method on its own instead of inlining it,
     * boxed its result and ran the Vector API's Java fallback for the adds, and the decode step
     * allocated ~0.8 MB (CpuBackendDecodeTest's allocation probes caught it).
     */
    private static float dot128(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F), accM = acc;
        IntVector shiftA = IntVector.fromArray(I, MIN_SHIFT, 0), shiftB = IntVector.fromArray(I, MIN_SHIFT, 4);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s1 = (w[bo + 4] & 0xFFFF) | (w[bo + 5] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            int sc03 = s0 & 0x3F3F3F3F, m03 = s1 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030), m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            IntVector isum = IntVector.zero(I);
            for (int i = 0; i < 128 / STEP; i++) {
                ShortVector v = ShortVector.fromArray(S, w, bo + 8 + i * SL);
                int xo = xb + i * 4 * SL;
                ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + SL)));
                ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 2 * SL))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xo + 3 * SL)));
                IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
                pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
                ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
                int g = i * STEP / 32, sc = g < 2 ? sc03 : sc47, sh = 16 * (g & 1);
                isum = pl.mul((sc >>> sh) & 0xFF).add(isum);
                isum = ph.mul((sc >>> (sh + 8)) & 0xFF).add(isum);
            }
            float dx = xd[b];
            IntVector ml = LongVector.broadcast(L2, (m03 & 0xFFFFFFFFL) | ((long) m47 << 32)).reinterpretAsInts();
            IntVector msum = ml.lanewise(VectorOperators.LSHR, shiftA).and(0xFF).mul(IntVector.fromArray(I, sums, b * 8))
                    .add(ml.lanewise(VectorOperators.LSHR, shiftB).and(0xFF).mul(IntVector.fromArray(I, sums, b * 8 + 4)));
            accM = ((FloatVector) msum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
        }
        acc.sub(accM).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
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
