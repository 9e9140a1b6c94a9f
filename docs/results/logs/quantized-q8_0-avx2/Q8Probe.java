package dev.drllm.quant;

import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.util.*;

import static dev.drllm.quant.QuantKernels.*;

/** Throwaway probe: Q8_0 decode matvec variants, one thread, interleaved. */
public class Q8Probe {
    static final ValueLayout.OfByte BY = ValueLayout.JAVA_BYTE;

    // V1: four rows (a quarter apart) copied to a byte[] first, then the same arithmetic on arrays
    static void v1(MemorySegment w, float[] x, int in, float[] y, int r0, int r1, byte[] buf, float[] tmp) {
        int rb = in / 32 * 34, blocks = in / 32, q = (r1 - r0) / 4;
        for (int r = r0; r < r0 + q; r++) {
            for (int k = 0; k < 4; k++) MemorySegment.copy(w, BY, (long) (r + k * q) * rb, buf, k * rb, rb);
            dot4a(buf, rb, x, blocks, y, r, q, tmp);
        }
    }

    // adjacent rows: one contiguous copy of four rows, one stream per thread
    static void v1a(MemorySegment w, float[] x, int in, float[] y, int r0, int r1, byte[] buf, float[] tmp) {
        int rb = in / 32 * 34, blocks = in / 32;
        for (int r = r0; r + 4 <= r1; r += 4) {
            MemorySegment.copy(w, BY, (long) r * rb, buf, 0, 4 * rb);
            dot4a(buf, rb, x, blocks, y, r, 1, tmp);
        }
    }

    static long sink;
    static void cpy(MemorySegment w, int in, int r0, int r1, byte[] buf, boolean adjacent) {
        int rb = in / 32 * 34, q = (r1 - r0) / 4;
        if (adjacent) {
            for (int r = r0; r + 4 <= r1; r += 4) { MemorySegment.copy(w, BY, (long) r * rb, buf, 0, 4 * rb); sink += buf[5]; }
        } else {
            for (int r = r0; r < r0 + q; r++) {
                for (int k = 0; k < 4; k++) MemorySegment.copy(w, BY, (long) (r + k * q) * rb, buf, k * rb, rb);
                sink += buf[5];
            }
        }
    }

    static void dot4a(byte[] w, int rb, float[] x, int blocks, float[] y, int yo, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = rb, o2 = 2 * rb, o3 = 3 * rb;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, h(w, bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, h(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, h(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, h(w, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, LANES); a2.intoArray(tmp, 2 * LANES); a3.intoArray(tmp, 3 * LANES);
        y[yo] = hsum(tmp, 0); y[yo + ys] = hsum(tmp, LANES); y[yo + 2 * ys] = hsum(tmp, 2 * LANES); y[yo + 3 * ys] = hsum(tmp, 3 * LANES);
    }

    static float h(byte[] w, int o) { return Float.float16ToFloat((short) ((w[o] & 0xFF) | (w[o + 1] << 8))); }

    // V2: int8 activations (per 32: dx, q in [-127,127] as shorts), weights copied to byte[], 16-bit products
    static final VectorSpecies<Short> S16 = VectorSpecies.of(short.class, F.vectorShape()); // 16 lanes at 256
    static final VectorSpecies<Byte> BH = VectorSpecies.of(byte.class, VectorShape.forBitSize(S16.length() * 8));
    static final VectorSpecies<Integer> IV = VectorSpecies.of(int.class, F.vectorShape());

    static void v2(MemorySegment w, short[] xq, float[] xd, int in, float[] y, int r0, int r1, byte[] buf, float[] tmp) {
        int rb = in / 32 * 34, blocks = in / 32, q = (r1 - r0) / 4;
        for (int r = r0; r < r0 + q; r++) {
            for (int k = 0; k < 4; k++) MemorySegment.copy(w, BY, (long) (r + k * q) * rb, buf, k * rb, rb);
            dot4i(buf, rb, xq, xd, blocks, y, r, q, tmp);
        }
    }

    static void dot4i(byte[] w, int rb, short[] xq, float[] xd, int blocks, float[] y, int yo, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = rb, o2 = 2 * rb, o3 = 3 * rb, SLN = S16.length();
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = b * 32;
            IntVector i0 = IntVector.zero(IV), i1 = i0, i2 = i0, i3 = i0;
            for (int i = 0; i < 32; i += 2 * SLN) {
                ShortVector x0 = ShortVector.fromArray(S16, xq, xo + i), x1 = ShortVector.fromArray(S16, xq, xo + i + SLN);
                i0 = pair(((ShortVector) ByteVector.fromArray(BH, w, bb + 2 + i).convertShape(VectorOperators.B2S, S16, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromArray(BH, w, bb + 2 + i + SLN).convertShape(VectorOperators.B2S, S16, 0)).mul(x1)), i0);
                i1 = pair(((ShortVector) ByteVector.fromArray(BH, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2S, S16, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromArray(BH, w, o1 + bb + 2 + i + SLN).convertShape(VectorOperators.B2S, S16, 0)).mul(x1)), i1);
                i2 = pair(((ShortVector) ByteVector.fromArray(BH, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2S, S16, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromArray(BH, w, o2 + bb + 2 + i + SLN).convertShape(VectorOperators.B2S, S16, 0)).mul(x1)), i2);
                i3 = pair(((ShortVector) ByteVector.fromArray(BH, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2S, S16, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromArray(BH, w, o3 + bb + 2 + i + SLN).convertShape(VectorOperators.B2S, S16, 0)).mul(x1)), i3);
            }
            float dx = xd[b];
            a0 = ((FloatVector) i0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, bb) * dx), a0);
            a1 = ((FloatVector) i1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, o1 + bb) * dx), a1);
            a2 = ((FloatVector) i2.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, o2 + bb) * dx), a2);
            a3 = ((FloatVector) i3.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, o3 + bb) * dx), a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, LANES); a2.intoArray(tmp, 2 * LANES); a3.intoArray(tmp, 3 * LANES);
        y[yo] = hsum(tmp, 0); y[yo + ys] = hsum(tmp, LANES); y[yo + 2 * ys] = hsum(tmp, 2 * LANES); y[yo + 3 * ys] = hsum(tmp, 3 * LANES);
    }

    // V3: rows copied as shorts (two weights a lane), int8 activations split even/odd per block, 16-bit products
    static final VectorSpecies<Short> S8W = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> I8W = IntVector.SPECIES_256;
    static final VectorSpecies<Float> F8W = FloatVector.SPECIES_256;
    static final ValueLayout.OfShort SLE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    static void v3(MemorySegment w, short[] xeo, float[] xd, int in, float[] y, int r0, int r1, short[] buf, float[] tmp) {
        int rb = in / 32 * 34, rs = rb / 2, blocks = in / 32, q = (r1 - r0) / 4;
        for (int r = r0; r < r0 + q; r++) {
            for (int k = 0; k < 4; k++) MemorySegment.copy(w, SLE, (long) (r + k * q) * rb, buf, k * rs, rs);
            dot4s(buf, rs, xeo, xd, blocks, y, r, q, tmp);
        }
    }

    static void dot4s(short[] w, int rs, short[] x, float[] xd, int blocks, float[] y, int yo, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F8W), a1 = a0, a2 = a0, a3 = a0;
        int o1 = rs, o2 = 2 * rs, o3 = 3 * rs;
        for (int b = 0; b < blocks; b++) {
            int wb = 17 * b, xb = 32 * b;
            ShortVector xe = ShortVector.fromArray(S8W, x, xb), xo = ShortVector.fromArray(S8W, x, xb + 16);
            float dx = xd[b];
            ShortVector v = ShortVector.fromArray(S8W, w, wb + 1);
            a0 = ((FloatVector) pairs(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(xe).add(v.lanewise(VectorOperators.ASHR, 8).mul(xo)))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8W, Float.float16ToFloat(w[wb]) * dx), a0);
            v = ShortVector.fromArray(S8W, w, o1 + wb + 1);
            a1 = ((FloatVector) pairs(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(xe).add(v.lanewise(VectorOperators.ASHR, 8).mul(xo)))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8W, Float.float16ToFloat(w[o1 + wb]) * dx), a1);
            v = ShortVector.fromArray(S8W, w, o2 + wb + 1);
            a2 = ((FloatVector) pairs(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(xe).add(v.lanewise(VectorOperators.ASHR, 8).mul(xo)))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8W, Float.float16ToFloat(w[o2 + wb]) * dx), a2);
            v = ShortVector.fromArray(S8W, w, o3 + wb + 1);
            a3 = ((FloatVector) pairs(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(xe).add(v.lanewise(VectorOperators.ASHR, 8).mul(xo)))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8W, Float.float16ToFloat(w[o3 + wb]) * dx), a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        y[yo] = hsum(tmp, 0); y[yo + ys] = hsum(tmp, 8); y[yo + 2 * ys] = hsum(tmp, 16); y[yo + 3 * ys] = hsum(tmp, 24);
    }

    static IntVector pairs(ShortVector p) {
        IntVector v = p.reinterpretAsInts();
        return v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16));
    }

    static IntVector pair(ShortVector p, IntVector acc) {
        IntVector v = p.reinterpretAsInts();
        return v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).add(acc);
    }

    static void quantX(float[] x, int n, short[] xq, float[] xd) {
        for (int b = 0; b < n / 32; b++) {
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[b * 32 + i]));
            float d = amax / 127f, id = amax > 0 ? 127f / amax : 0;
            xd[b] = d;
            for (int i = 0; i < 32; i++) xq[b * 32 + i] = (short) Math.rint(x[b * 32 + i] * id);
        }
    }

    static final int T = Integer.getInteger("t", 1);
    static final java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(T, r -> { Thread th = new Thread(r); th.setDaemon(true); return th; });
    static byte[][] BUFS = new byte[T][];
    static short[][] SBUFS = new short[T][];
    static short[] XEO;
    static float[][] TMPS = new float[T][TMP];

    static void run(String v, MemorySegment w, float[] x, short[] xq, float[] xd, int cols, float[] y, int r0, int r1, byte[] buf, float[] tmp) {
        switch (v) {
            case "cur" -> Q8_0.INSTANCE.matvec(w, x, 0, cols, y, 0, r0, r1, tmp);
            case "arr" -> v1(w, x, cols, y, r0, r1, buf, tmp);
            case "int" -> v2(w, xq, xd, cols, y, r0, r1, buf, tmp);
            case "arr1" -> v1a(w, x, cols, y, r0, r1, buf, tmp);
            case "cpy" -> cpy(w, cols, r0, r1, buf, false);
            case "cpy1" -> cpy(w, cols, r0, r1, buf, true);
            case "s16" -> v3(w, XEO, xd, cols, y, r0, r1, SBUFS[Math.min(T - 1, r0 == 0 ? 0 : 1)], tmp);
            default -> throw new IllegalArgumentException(v);
        }
    }

    public static void main(String[] a) {
        int rows = Integer.parseInt(a[0]), cols = Integer.parseInt(a[1]), nm = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]);
        String[] vars = a[4].split(",");
        int rb = cols / 32 * 34;
        Arena ar = Arena.ofShared();
        MemorySegment[] ms = new MemorySegment[nm];
        SplittableRandom rnd = new SplittableRandom(1);
        float[] row = new float[cols];
        for (int m = 0; m < nm; m++) {
            ms[m] = ar.allocate((long) rows * rb, 64);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < cols; i++) row[i] = (float) (rnd.nextGaussian() * 0.02);
                Q8_0.INSTANCE.quantize(row, 0, cols / 32, ms[m], (long) r * rb);
            }
        }
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) Math.sin(i * 0.37);
        short[] xq = new short[cols]; float[] xd = new float[cols / 32];
        quantX(x, cols, xq, xd);
        float[] y = new float[rows], ref = new float[rows], tmp = new float[TMP];
        byte[] buf = new byte[4 * rb];
        for (int t = 0; t < T; t++) { BUFS[t] = new byte[4 * rb]; SBUFS[t] = new short[2 * rb]; }
        XEO = new short[cols];
        for (int b = 0; b < cols / 32; b++) for (int i = 0; i < 16; i++) { XEO[32 * b + i] = xq[32 * b + 2 * i]; XEO[32 * b + 16 + i] = xq[32 * b + 2 * i + 1]; }
        Q8_0.INSTANCE.matvec(ms[0], x, 0, cols, ref, 0, 0, rows, tmp);
        double bytes = (double) rows * rb;
        for (int round = 0; round < rounds; round++) {
            StringBuilder sb = new StringBuilder("round " + round + ":");
            for (String v : vars) {
                // warm + time ~1.5 s
                long t0 = System.nanoTime(); int it = 0; int m = 0;
                double best = 0;
                while (System.nanoTime() - t0 < Double.parseDouble(System.getProperty("secs", "1.5")) * 1e9) {
                    long s = System.nanoTime();
                    MemorySegment w = ms[m];
                    if (T == 1) run(v, w, x, xq, xd, cols, y, 0, rows, buf, tmp);
                    else {
                        var fs = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                        for (int t = 0; t < T; t++) {
                            int tt = t;
                            fs.add(ex.submit(() -> run(v, w, x, xq, xd, cols, y, rows / T * tt, rows / T * (tt + 1), BUFS[tt], TMPS[tt])));
                        }
                        for (var f : fs) try { f.get(); } catch (Exception e) { throw new RuntimeException(e); }
                    }
                    double gbs = bytes / (System.nanoTime() - s);
                    if (System.nanoTime() - t0 > 0.5e9) best = Math.max(best, gbs);
                    m = (m + 1) % nm; it++;
                }
                if (m == 1 || nm == 1) { /* check */ }
                double err = 0;
                {
                    switch (v) {
                        case "cur" -> Q8_0.INSTANCE.matvec(ms[0], x, 0, cols, y, 0, 0, rows, tmp);
                        case "arr" -> v1(ms[0], x, cols, y, 0, rows, buf, tmp);
                        case "int" -> v2(ms[0], xq, xd, cols, y, 0, rows, buf, tmp);
                        case "arr1" -> v1a(ms[0], x, cols, y, 0, rows, buf, tmp);
                        case "cpy", "cpy1" -> System.arraycopy(ref, 0, y, 0, rows);
                        case "s16" -> v3(ms[0], XEO, xd, cols, y, 0, rows, SBUFS[0], tmp);
                    }
                    for (int r = 0; r < rows; r++) err = Math.max(err, Math.abs(y[r] - ref[r]));
                }
                sb.append(String.format(" %s %.1f GB/s (err %.2g)", v, best, err));
            }
            System.out.println(sb);
        }
    }
}
