import jdk.incubator.vector.*;

import java.util.SplittableRandom;

/**
 * One-thread probe of Q4_K row dots on 256-bit vectors, all variants timed back to back per rep on
 * the same rows: main = main's dotNarrow (copy); f32-scales = dotNarrow4 (sub-block sums converted
 * and FMA'd with sc * d * dx); scales-from-array = dotNarrow3 (the eight scales laid out once per
 * super-block, broadcast from an int[8]); madd-idiom = dotMadd (weights unpacked and pre-scaled into
 * a short[] in the activation's lane order, then the MulAddS2I loop C2 turns into vpmaddwd, then a
 * per-block reduction); unrolled = dotNarrow2 (the four loads written as two pairs, constant scale
 * positions). Random bytes as weights (valid halves for d, dmin), random 8-bit activations.
 * args: cols rows reps
 */
public class Q4kProbe {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    static final VectorSpecies<Long> L4 = LongVector.SPECIES_256;
    static final int SL = 16, STEP = 32;
    static final int[] MIN_SHIFT = {0, 0, 8, 8, 16, 16, 24, 24};

    static float hsum(float[] t) { float s = 0; for (int k = 0; k < 8; k++) s += t[k]; return s; }

    static float dotNarrow(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        IntVector minShift = IntVector.fromArray(I, MIN_SHIFT, 0);
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
            long ml = (m03 & 0xFFFFFFFFL) | ((long) m47 << 32);
            IntVector mv = LongVector.broadcast(L4, ml).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF);
            accM = ((FloatVector) mv.mul(IntVector.fromArray(I, sums, b * 8)).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
        }
        acc.intoArray(tmp, 0);
        float s = hsum(tmp);
        accM.intoArray(tmp, 0);
        return s - hsum(tmp);
    }


    /** V2: the four loads of a super-block written out as two groups of two with constant scale positions. */
    static float dotNarrow2(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        IntVector minShift = IntVector.fromArray(I, MIN_SHIFT, 0);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s1 = (w[bo + 4] & 0xFFFF) | (w[bo + 5] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            int sc03 = s0 & 0x3F3F3F3F, m03 = s1 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030), m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            IntVector isum = IntVector.zero(I);
            for (int h = 0; h < 2; h++) {
                int sc = h == 0 ? sc03 : sc47;
                int wo = bo + 8 + 32 * h, xo = xb + 128 * h;
                ShortVector v = ShortVector.fromArray(S, w, wo);
                ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 16)));
                ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 32))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xo + 48)));
                IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
                pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
                ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
                isum = pl.mul(sc & 0xFF).add(isum);
                isum = ph.mul((sc >>> 8) & 0xFF).add(isum);
                v = ShortVector.fromArray(S, w, wo + 16);
                lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 64))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 80)));
                hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 96))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xo + 112)));
                pl = lo.reinterpretAsInts();
                ph = hi.reinterpretAsInts();
                pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
                ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
                isum = pl.mul((sc >>> 16) & 0xFF).add(isum);
                isum = ph.mul(sc >>> 24).add(isum);
            }
            float dx = xd[b];
            long ml = (m03 & 0xFFFFFFFFL) | ((long) m47 << 32);
            IntVector mv = LongVector.broadcast(L4, ml).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF);
            accM = ((FloatVector) mv.mul(IntVector.fromArray(I, sums, b * 8)).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
        }
        acc.intoArray(tmp, 0);
        float s = hsum(tmp);
        accM.intoArray(tmp, 0);
        return s - hsum(tmp);
    }


    static final int[] SC_SCR = new int[8];
    /** V3: the block's eight scales laid out once by the broadcast-long trick into a scratch int[8]; the loop broadcasts from it. */
    static float dotNarrow3(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp, int[] scl) {
        FloatVector acc = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        IntVector minShift = IntVector.fromArray(I, MIN_SHIFT, 0);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s1 = (w[bo + 4] & 0xFFFF) | (w[bo + 5] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            int sc03 = s0 & 0x3F3F3F3F, m03 = s1 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030), m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            long sl = (sc03 & 0xFFFFFFFFL) | ((long) sc47 << 32);
            LongVector.broadcast(L4, sl).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF).intoArray(scl, 0);
            IntVector isum = IntVector.zero(I);
            for (int i = 0; i < 4; i++) {
                ShortVector v = ShortVector.fromArray(S, w, bo + 8 + i * SL);
                int xo = xb + i * 4 * SL, p = ((i & 1) << 2) | (i >> 1);
                ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + SL)));
                ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 2 * SL))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xo + 3 * SL)));
                IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
                pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
                ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
                isum = pl.mul(scl[p]).add(isum);
                isum = ph.mul(scl[p + 2]).add(isum);
            }
            float dx = xd[b];
            long ml = (m03 & 0xFFFFFFFFL) | ((long) m47 << 32);
            IntVector mv = LongVector.broadcast(L4, ml).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF);
            accM = ((FloatVector) mv.mul(IntVector.fromArray(I, sums, b * 8)).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
            acc = ((FloatVector) isum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
        }
        acc.intoArray(tmp, 0);
        float s = hsum(tmp);
        accM.intoArray(tmp, 0);
        return s - hsum(tmp);
    }


    static final float[] SCF = new float[8];
    /** V4: scales applied in f32: per block the eight sc_j * d * dx laid out once (order 0,4,1,5,2,6,3,7), each sub-block sum converted and FMA'd. Minima in f32 too. */
    static float dotNarrow4(short[] w, short[] xq, float[] xd, float[] sumsF, int blocks, float[] tmp, float[] scf) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        IntVector minShift = IntVector.fromArray(I, MIN_SHIFT, 0);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s1 = (w[bo + 4] & 0xFFFF) | (w[bo + 5] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            int sc03 = s0 & 0x3F3F3F3F, m03 = s1 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030), m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            float dx = xd[b];
            long sl = (sc03 & 0xFFFFFFFFL) | ((long) sc47 << 32);
            ((FloatVector) LongVector.broadcast(L4, sl).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF).convert(VectorOperators.I2F, 0))
                    .mul(Float.float16ToFloat(w[bo]) * dx).intoArray(scf, 0);
            for (int i = 0; i < 4; i++) {
                ShortVector v = ShortVector.fromArray(S, w, bo + 8 + i * SL);
                int xo = xb + i * 4 * SL, p = ((i & 1) << 2) | (i >> 1);
                ShortVector lo = v.and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + SL)));
                ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, xq, xo + 2 * SL))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(ShortVector.fromArray(S, xq, xo + 3 * SL)));
                IntVector pl = lo.reinterpretAsInts(), ph = hi.reinterpretAsInts();
                pl = pl.lanewise(VectorOperators.LSHL, 16).add(pl).lanewise(VectorOperators.ASHR, 16);
                ph = ph.lanewise(VectorOperators.LSHL, 16).add(ph).lanewise(VectorOperators.ASHR, 16);
                acc0 = ((FloatVector) pl.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scf[p]), acc0);
                acc1 = ((FloatVector) ph.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scf[p + 2]), acc1);
            }
            long ml = (m03 & 0xFFFFFFFFL) | ((long) m47 << 32);
            FloatVector mv = (FloatVector) LongVector.broadcast(L4, ml).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF).convert(VectorOperators.I2F, 0);
            accM = mv.mul(FloatVector.fromArray(F, sumsF, b * 8)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
        }
        acc0.add(acc1).sub(accM).intoArray(tmp, 0);
        return hsum(tmp);
    }

    /** The MulAddS2I idiom: C2 turns it into vpmaddwd. */
    static void madd(short[] a, short[] b, int[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }

    /** V1: unpack pre-scaled nibbles (same lane order as xq), madd over the row, reduce per block. */
    static float dotMadd(short[] w, short[] xq, float[] xd, int[] sums, int blocks, float[] tmp, short[] wq, int[] prod) {
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, xb = b * 256;
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            int sc03 = s0 & 0x3F3F3F3F;
            int sc47 = (s2 & 0x0F0F0F0F) | ((s0 >>> 2) & 0x30303030);
            for (int i = 0; i < 4; i++) {
                ShortVector v = ShortVector.fromArray(S, w, bo + 8 + i * SL);
                int xo = xb + i * 4 * SL;
                int sc = i < 2 ? sc03 : sc47, sh = 16 * (i & 1);
                short a = (short) ((sc >>> sh) & 0xFF), c = (short) ((sc >>> (sh + 8)) & 0xFF);
                v.and((short) 0xF).mul(a).intoArray(wq, xo);
                v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(a).intoArray(wq, xo + SL);
                v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(c).intoArray(wq, xo + 2 * SL);
                v.lanewise(VectorOperators.LSHR, 12).mul(c).intoArray(wq, xo + 3 * SL);
            }
        }
        madd(wq, xq, prod, blocks * 128);
        FloatVector acc = FloatVector.zero(F);
        FloatVector accM = FloatVector.zero(F);
        IntVector minShift = IntVector.fromArray(I, MIN_SHIFT, 0);
        for (int b = 0; b < blocks; b++) {
            int bo = b * 72, pb = b * 128;
            IntVector s = IntVector.fromArray(I, prod, pb);
            IntVector t = IntVector.fromArray(I, prod, pb + 8);
            for (int k = 16; k < 128; k += 16) {
                s = s.add(IntVector.fromArray(I, prod, pb + k));
                t = t.add(IntVector.fromArray(I, prod, pb + k + 8));
            }
            int s0 = (w[bo + 2] & 0xFFFF) | (w[bo + 3] << 16), s1 = (w[bo + 4] & 0xFFFF) | (w[bo + 5] << 16), s2 = (w[bo + 6] & 0xFFFF) | (w[bo + 7] << 16);
            int m03 = s1 & 0x3F3F3F3F;
            int m47 = ((s2 >>> 4) & 0x0F0F0F0F) | ((s1 >>> 2) & 0x30303030);
            float dx = xd[b];
            long ml = (m03 & 0xFFFFFFFFL) | ((long) m47 << 32);
            IntVector mv = LongVector.broadcast(L4, ml).reinterpretAsInts().lanewise(VectorOperators.LSHR, minShift).and(0xFF);
            accM = ((FloatVector) mv.mul(IntVector.fromArray(I, sums, b * 8)).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo + 1]) * dx), accM);
            acc = ((FloatVector) s.add(t).convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, Float.float16ToFloat(w[bo]) * dx), acc);
        }
        acc.intoArray(tmp, 0);
        float s = hsum(tmp);
        accM.intoArray(tmp, 0);
        return s - hsum(tmp);
    }

    public static void main(String[] args) {
        int cols = Integer.parseInt(args[0]), rows = Integer.parseInt(args[1]), reps = Integer.parseInt(args[2]);
        int blocks = cols / 256, rs = blocks * 72;
        SplittableRandom r = new SplittableRandom(7);
        short[][] mat = new short[rows][rs];
        for (short[] row : mat) {
            for (int k = 0; k < rs; k++) row[k] = (short) r.nextInt();
            for (int b = 0; b < blocks; b++) {
                row[b * 72] = Float.floatToFloat16(0.001f * (1 + r.nextInt(4)));
                row[b * 72 + 1] = Float.floatToFloat16(0.0005f * (1 + r.nextInt(4)));
            }
        }
        short[] xq = new short[cols];
        for (int k = 0; k < cols; k++) xq[k] = (short) (r.nextInt(255) - 127);
        float[] xd = new float[blocks];
        for (int b = 0; b < blocks; b++) xd[b] = 0.01f;
        int[] sums = new int[blocks * 8];
        for (int k = 0; k < sums.length; k++) sums[k] = r.nextInt(8000) - 4000;
        float[] sumsF = new float[sums.length];
        for (int k = 0; k < sums.length; k++) sumsF[k] = sums[k];
        float[] tmp = new float[16], y0 = new float[rows], y1 = new float[rows], y2 = new float[rows], y3 = new float[rows], y4 = new float[rows];
        double maxd2 = 0;
        short[] wq = new short[cols];
        int[] prod = new int[cols / 2];
        double bytes = (double) rows * blocks * 144;
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            for (int o = 0; o < rows; o++) y0[o] = dotNarrow(mat[o], xq, xd, sums, blocks, tmp);
            long t1 = System.nanoTime();
            for (int o = 0; o < rows; o++) y1[o] = dotNarrow4(mat[o], xq, xd, sumsF, blocks, tmp, SCF);
            long t2 = System.nanoTime();
            for (int o = 0; o < rows; o++) y2[o] = dotNarrow3(mat[o], xq, xd, sums, blocks, tmp, SC_SCR);
            long t3 = System.nanoTime();
            for (int o = 0; o < rows; o++) y3[o] = dotMadd(mat[o], xq, xd, sums, blocks, tmp, wq, prod);
            long t4 = System.nanoTime();
            for (int o = 0; o < rows; o++) y4[o] = dotNarrow2(mat[o], xq, xd, sums, blocks, tmp);
            long t5 = System.nanoTime();
            for (int o = 0; o < rows; o++) maxd2 = Math.max(maxd2, Math.max(Math.abs(y0[o] - y3[o]), Math.abs(y0[o] - y4[o])) / (1e-3 + Math.abs(y0[o])));
            for (int o = 0; o < rows; o++) maxd2 = Math.max(maxd2, Math.abs(y0[o] - y2[o]) / (1e-3 + Math.abs(y0[o])));
            double maxd = 0;
            for (int o = 0; o < rows; o++) maxd = Math.max(maxd, Math.abs(y0[o] - y1[o]) / (1e-3 + Math.abs(y0[o])));
            if (rep % Math.max(1, reps / 8) == 0 || rep == reps - 1)
                System.out.printf("rep %d  main %.2f GB/s  f32-scales %.2f  scales-from-array %.2f  madd-idiom %.2f  unrolled %.2f (max rel. diff %.2g %.2g)%n", rep, bytes / (t1 - t0), bytes / (t2 - t1), bytes / (t3 - t2), bytes / (t4 - t3), bytes / (t5 - t4), maxd, maxd2);
        }
    }
}
