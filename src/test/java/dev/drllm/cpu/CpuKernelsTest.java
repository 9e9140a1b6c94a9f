package dev.drllm.cpu;

import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.model.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector kernels against plain double-precision references, over seeded random shapes that hit every tail. */
class CpuKernelsTest {
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A weight tensor in native memory (as a mapped file is), values rounded to {@code d}. */
    static Tensor tensor(Arena arena, DType d, int rows, int cols, float[] values) {
        MemorySegment seg = arena.allocate((long) rows * cols * d.bytes(), 64);
        for (int i = 0; i < values.length; i++) {
            switch (d) {
                case BF16 -> seg.set(SHORT_LE, i * 2L, SafetensorsWriter.toBf16(values[i]));
                case F16 -> seg.set(SHORT_LE, i * 2L, Float.floatToFloat16(values[i]));
                default -> seg.set(FLOAT_LE, i * 4L, values[i]);
            }
        }
        return new Tensor(Path.of("test"), "w", d, new long[]{rows, cols}, seg);
    }

    /** Where plain index {@code i} lies in pair-split order ({@link CpuKernels#splitPairs}). */
    static int splitPos(int i) {
        int q = i % CpuKernels.PAIR;
        return i - q + (q % 2 == 0 ? q / 2 : CpuKernels.LANES + q / 2);
    }

    /** An F16 weight tensor holding exactly {@code halves}. */
    static Tensor f16Tensor(Arena arena, int rows, int cols, short[] halves) {
        MemorySegment seg = arena.allocate((long) rows * cols * 2, 64);
        for (int i = 0; i < halves.length; i++) seg.set(SHORT_LE, i * 2L, halves[i]);
        return new Tensor(Path.of("test"), "w", DType.F16, new long[]{rows, cols}, seg);
    }

    /**
     * Random F16 weights with what the in-register widening must get right: ~N(0, 0.02) values
     * (0.2% of them subnormal), extra subnormals, ±0, the largest finite halves, and, in the rows
     * marked in {@code special}, one ±inf or NaN at a random column (inside the vector part or the tail).
     */
    static short[] f16Weights(Random rnd, int rows, int in, boolean[] special) {
        short[] h = new short[rows * in];
        for (int i = 0; i < h.length; i++) {
            int k = rnd.nextInt(20);
            h[i] = switch (k) {
                case 0, 1 -> (short) (rnd.nextInt(0x400) | (rnd.nextBoolean() ? 0x8000 : 0)); // subnormal or ±0
                case 2 -> (short) (rnd.nextBoolean() ? 0 : 0x8000);
                case 3 -> (short) (rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 0x7BFF : 0xFBFF) : 0x0400); // ±65504, the smallest normal
                default -> Float.floatToFloat16((float) rnd.nextGaussian() * 0.02f);
            };
        }
        short[] inf = {0x7C00, (short) 0xFC00, 0x7E00, 0x7C01, (short) 0xFE00, (short) 0xFFFF};
        for (int o = 0; o < rows; o++) {
            special[o] = rnd.nextInt(3) == 0;
            if (special[o]) h[o * in + rnd.nextInt(in)] = inf[rnd.nextInt(inf.length)];
        }
        return h;
    }

    @Test
    void f16ConversionIsExactForEveryHalf() {
        try (Arena arena = Arena.ofConfined()) {
            // every finite half (the in-register widening alone), then all 65536 (±inf and NaN: the exact redo)
            for (boolean all : new boolean[] {false, true}) {
                short[] h = new short[all ? 65536 : 2 * 0x7C00];
                int n = 0;
                for (int i = 0; i < 65536; i++) if (all || (i & 0x7C00) != 0x7C00) h[n++] = (short) i;
                MemorySegment seg = arena.allocate(n * 2L + 2, 64);
                for (int i = 0; i < n; i++) seg.set(SHORT_LE, 2 + i * 2L, h[i]); // an unaligned start
                float[] out = new float[n + 3];
                CpuKernels.f16ToFloats(seg, 2, out, 3, n);
                for (int i = 0; i < n; i++) {
                    float expected = Float.float16ToFloat(h[i]), got = out[3 + splitPos(i)];
                    assertTrue(Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(got) || (Float.isNaN(expected) && Float.isNaN(got)),
                            "half 0x" + Integer.toHexString(h[i] & 0xFFFF) + ": expected " + expected + ", got " + got);
                }
            }
        }
    }

    @Test
    void f16ProductsAreExactOnSubnormalsZerosInfinitiesAndNaN() {
        Random rnd = new Random(23);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 48; trial++) {
                int rows = 1 + rnd.nextInt(13), in = 1 + rnd.nextInt(trial % 4 == 0 ? 1100 : 3 * CpuKernels.PAIR + 5);
                boolean[] special = new boolean[rows];
                short[] h = f16Weights(rnd, rows, in, special);
                Tensor w = f16Tensor(arena, rows, in, h);
                // 1-3 tokens: the decode matvec; 4-15: the blocked GEMM; 16+: the outer-product GEMM
                int tokens = new int[] {1, 2, 3, 5, 9, CpuKernels.GEMM_T_MIN, CpuKernels.GEMM_T_MIN + 7}[trial % 7];
                float[] x = new float[tokens * in], xp = new float[tokens * in];
                for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(50) == 0 ? 0f : (float) rnd.nextGaussian();
                // now and then an activation of 2^16 or more, which the decode cannot scale by 2^112 exactly
                if (trial % 3 == 2) x[rnd.nextInt(x.length)] = (rnd.nextBoolean() ? 1 : -1) * (65536f + rnd.nextInt(100_000));
                for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(x, t * in, xp, t * in, in);
                int r0 = rnd.nextInt(rows), r1 = r0 + 1 + rnd.nextInt(rows - r0);
                float[] y = new float[tokens * rows];
                if (tokens < CpuKernels.GEMM_T_MIN) {
                    CpuKernels.matmul(x, xp, tokens, in, w, y, rows, r0, r1, new float[CpuKernels.WBUF]);
                } else {
                    int tp = CpuKernels.paddedTokens(tokens);
                    MemorySegment xT = arena.allocate((long) in * tp * 4, CpuKernels.XT_ALIGN);
                    CpuKernels.transpose(x, tokens, in, xT, tp, true, 0, in);
                    CpuKernels.gemmT(xT, tp, x, tokens, in, w, y, rows, r0, r1, new float[CpuKernels.WBUF], new float[rows * tp], 0);
                }
                for (int t = 0; t < tokens; t++) {
                    for (int o = r0; o < r1; o++) {
                        double ref = 0, mag = 0;
                        for (int i = 0; i < in; i++) {
                            double p = (double) Float.float16ToFloat(h[o * in + i]) * x[t * in + i];
                            ref += p;
                            mag += Math.abs(p);
                        }
                        float got = y[t * rows + o];
                        String what = "F16 rows " + rows + " in " + in + " tokens " + tokens + " at t=" + t + " o=" + o + (special[o] ? " (inf/NaN row)" : "");
                        if (Double.isNaN(ref) || Double.isInfinite(ref)) {
                            // IEEE: NaN iff a NaN product or products of both infinite signs; else the infinity's sign
                            assertEquals(Double.isNaN(ref), Float.isNaN(got), what + ": expected " + ref + ", got " + got);
                            if (!Double.isNaN(ref)) assertEquals(ref, (double) got, what);
                        } else {
                            assertEquals(ref, got, 1e-6 * mag * Math.sqrt(in) + 1e-30, what);
                        }
                    }
                }
            }
        }
    }

    /** The F16 tests on 8 lanes (AVX2's species), in a fresh JVM with {@code -XX:MaxVectorSize=32} ({@link F16KernelsProbe}). */
    @Test
    void f16KernelsOnEightLanes() throws Exception {
        java.util.List<String> cmd = java.util.List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32", "-Ddrllm.kernels=vector",
                "-cp", System.getProperty("java.class.path"), F16KernelsProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "probe did not finish");
        assertTrue(log.contains("lanes=8 ok"), "F16 kernels on 8 lanes (-XX:MaxVectorSize=32):\n" + log);
    }

    @Test
    void matmulMatchesReferenceForEveryDtypeAndTail() {
        Random rnd = new Random(42);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 60; trial++) {
                DType d = DType.values()[trial % 3]; // BF16, F16, F32
                int rows = 1 + rnd.nextInt(23);
                int in = 1 + rnd.nextInt(trial % 5 == 0 ? 1200 : 140);
                int tokens = 1 + rnd.nextInt(9);
                float[] wv = new float[rows * in];
                for (int i = 0; i < wv.length; i++) wv[i] = (float) rnd.nextGaussian() * 0.5f;
                Tensor w = tensor(arena, d, rows, in, wv);
                float[] x = new float[tokens * in], xp = new float[tokens * in];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(x, t * in, xp, t * in, in);
                float[] y = new float[tokens * rows];
                int r0 = rnd.nextInt(rows), r1 = r0 + 1 + rnd.nextInt(rows - r0);
                CpuKernels.matmul(x, xp, tokens, in, w, y, rows, r0, r1, new float[CpuKernels.WBUF]);
                for (int t = 0; t < tokens; t++) {
                    for (int o = 0; o < rows; o++) {
                        if (o < r0 || o >= r1) {
                            assertEquals(0f, y[t * rows + o], "row outside the range was written");
                            continue;
                        }
                        double ref = 0, mag = 0;
                        for (int i = 0; i < in; i++) {
                            double p = (double) w.getFloat((long) o * in + i) * x[t * in + i];
                            ref += p;
                            mag += Math.abs(p);
                        }
                        // f32 accumulation of `in` products: error ≲ in · 2^-24 · Σ|p|, loosely bounded here
                        double tol = 1e-6 * mag * Math.sqrt(in) + 1e-6;
                        assertEquals(ref, y[t * rows + o], tol, d + " rows " + rows + " in " + in + " tokens " + tokens + " at t=" + t + " o=" + o);
                    }
                }
            }
        }
    }

    @Test
    void outerProductGemmMatchesReference() {
        Random rnd = new Random(9);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 24; trial++) {
                DType d = DType.values()[trial % 3];
                int rows = 1 + rnd.nextInt(40), in = 1 + rnd.nextInt(trial % 4 == 0 ? 700 : 90);
                int tokens = CpuKernels.GEMM_T_MIN + rnd.nextInt(50);
                float[] wv = new float[rows * in];
                for (int i = 0; i < wv.length; i++) wv[i] = (float) rnd.nextGaussian() * 0.5f;
                Tensor w = tensor(arena, d, rows, in, wv);
                float[] x = new float[tokens * in], xs = new float[tokens * in];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                if (CpuKernels.pairSplit(d)) for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(x, t * in, xs, t * in, in);
                else System.arraycopy(x, 0, xs, 0, x.length);
                int tp = CpuKernels.paddedTokens(tokens);
                MemorySegment xT = arena.allocate((long) in * tp * 4, CpuKernels.XT_ALIGN);
                CpuKernels.transpose(xs, tokens, in, xT, tp);
                int r0 = rnd.nextInt(rows), r1 = r0 + 1 + rnd.nextInt(rows - r0);
                float[] y = new float[tokens * rows], yT = new float[5 + rows * tp];
                CpuKernels.gemmT(xT, tp, xs, tokens, in, w, y, rows, r0, r1, new float[CpuKernels.WBUF], yT, 5);
                for (int t = 0; t < tokens; t++) {
                    for (int o = 0; o < rows; o++) {
                        if (o < r0 || o >= r1) {
                            assertEquals(0f, y[t * rows + o]);
                            continue;
                        }
                        double ref = 0, mag = 0;
                        for (int i = 0; i < in; i++) {
                            double p = (double) w.getFloat((long) o * in + i) * x[t * in + i];
                            ref += p;
                            mag += Math.abs(p);
                        }
                        assertEquals(ref, y[t * rows + o], 1e-6 * mag * Math.sqrt(in) + 1e-6, d + " " + rows + "x" + in + " T=" + tokens);
                    }
                }
            }
        }
    }

    private static float[] transposed(float[] x, int tokens, int in, int tp, boolean split, int k0, int k1) {
        float[] out = new float[in * tp];
        CpuKernels.transpose(x, tokens, in, MemorySegment.ofArray(out), tp, split, k0, k1);
        return out;
    }

    @Test
    void splitTransposeInColumnBlocksMatchesSplitThenTranspose() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 20; trial++) {
            int in = 1 + rnd.nextInt(trial % 2 == 0 ? 300 : 70), tokens = 1 + rnd.nextInt(40);
            int tp = CpuKernels.paddedTokens(tokens);
            float[] x = new float[tokens * in], xs = new float[tokens * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(x, t * in, xs, t * in, in);
            float[] ref = transposed(xs, tokens, in, tp, false, 0, in), refPlain = transposed(x, tokens, in, tp, false, 0, in);
            float[] got = new float[in * tp], gotPlain = new float[in * tp];
            java.util.Arrays.fill(got, Float.NaN); // padding must be written, not left over
            java.util.Arrays.fill(gotPlain, Float.NaN);
            MemorySegment gotSeg = MemorySegment.ofArray(got), gotPlainSeg = MemorySegment.ofArray(gotPlain);
            // column blocks as the pool hands them out: starts on multiples of PAIR, any order
            int blocks = (in + CpuKernels.PAIR - 1) / CpuKernels.PAIR;
            for (int b = blocks - 1; b >= 0; b--) {
                int k0 = b * CpuKernels.PAIR, k1 = Math.min(in, k0 + CpuKernels.PAIR);
                CpuKernels.transpose(x, tokens, in, gotSeg, tp, true, k0, k1);
                CpuKernels.transpose(x, tokens, in, gotPlainSeg, tp, false, k0, k1);
            }
            assertArrayEquals(ref, got, "split, in=" + in + " tokens=" + tokens);
            assertArrayEquals(refPlain, gotPlain, "plain, in=" + in + " tokens=" + tokens);
            for (int k = 0; k < in; k++) for (int t = 0; t < tokens; t++) assertEquals(x[t * in + k], refPlain[(int) CpuKernels.xtIndex(k, t, in)]);
        }
    }

    @Test
    void transposedScoresAndRegisterPvMatchThePerKeyKernels() {
        Random rnd = new Random(17);
        int L = CpuKernels.LANES, B = CpuKernels.SCORE_BLOCK;
        for (int trial = 0; trial < 30; trial++) {
            int hd = L * (1 + rnd.nextInt(trial % 3 == 0 ? 9 : 4)), n = 1 + rnd.nextInt(150);
            int nb = (n + B - 1) / B * B, ldk = nb + B * rnd.nextInt(2), vs = hd + L * rnd.nextInt(3), vOff = vs - hd;
            float[] q = new float[hd + 3], kT = new float[hd * ldk], keys = new float[n * hd], v = new float[n * vs];
            for (int i = 0; i < q.length; i++) q[i] = (float) rnd.nextGaussian();
            for (int j = 0; j < n; j++) for (int d = 0; d < hd; d++) kT[d * ldk + j] = keys[j * hd + d] = (float) rnd.nextGaussian();
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            float scale = 0.125f;
            float[] s = new float[2 + nb];
            CpuKernels.scoresT(q, 3, kT, 0, ldk, hd, nb, s, 2, scale);
            for (int j = 0; j < n; j++) {
                // different summation order from dot (lanes, then a butterfly): f32 rounding of hd terms
                float ref = CpuKernels.dot(q, 3, keys, j * hd, hd) * scale;
                double mag = 0;
                for (int d = 0; d < hd; d++) mag += Math.abs((double) q[3 + d] * keys[j * hd + d]);
                assertEquals(ref, s[2 + j], 4e-7 * mag * scale * Math.sqrt(hd) + 1e-30, "hd=" + hd + " n=" + n + " j=" + j);
            }
            float[] p = new float[1 + n];
            for (int j = 0; j < n; j++) p[1 + j] = rnd.nextFloat();
            float[] out = new float[hd + 5], ref = new float[hd + 5];
            CpuKernels.pv(p, 1, n, v, vOff, vs, hd, out, 5);
            for (int j = 0; j < n; j++) CpuKernels.axpy(p[1 + j], v, j * vs + vOff, ref, 5, hd);
            // same terms, same order, one FMA each: bit for bit
            assertArrayEquals(ref, out, "pv hd=" + hd + " n=" + n);
        }
    }

    @Test
    void expAndSoftmaxAreAccurate() {
        float[] xs = new float[CpuKernels.LANES];
        Random rnd = new Random(7);
        double worst = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            for (int i = 0; i < xs.length; i++) xs[i] = (float) (rnd.nextDouble() * 170 - 85);
            float[] out = xs.clone();
            CpuKernels.exp(out, 0, out.length);
            for (int i = 0; i < xs.length; i++) {
                double e = Math.exp(xs[i]);
                worst = Math.max(worst, Math.abs(out[i] - e) / e);
            }
        }
        assertTrue(worst < 3e-7, "exp relative error " + worst);

        float[] s = new float[37];
        double[] ref = new double[37];
        for (int i = 0; i < s.length; i++) s[i] = (float) rnd.nextGaussian() * 5;
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : s) max = Math.max(max, v);
        for (int i = 0; i < s.length; i++) sum += ref[i] = Math.exp(s[i] - max);
        CpuKernels.softmax(s, 0, s.length);
        for (int i = 0; i < s.length; i++) assertEquals(ref[i] / sum, s[i], 1e-6);
    }

    @Test
    void siluRmsnormAndSumMatchReference() {
        Random rnd = new Random(3);
        int n = 77;
        float[] g = new float[n], u = new float[n], g0 = new float[n], u0 = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = g0[i] = (float) rnd.nextGaussian() * 6;
            u[i] = u0[i] = (float) rnd.nextGaussian();
        }
        CpuKernels.siluMul(g, u, n);
        for (int i = 0; i < n; i++) assertEquals(g0[i] / (1 + Math.exp(-g0[i])) * u0[i], g[i], 1e-5 * (1 + Math.abs(g0[i] * u0[i])));

        float[] x = new float[n], wt = new float[n], out = new float[n];
        double ss = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
            wt[i] = (float) rnd.nextGaussian();
            ss += x[i] * x[i];
        }
        CpuKernels.rmsnorm(x, 0, out, 0, wt, n, 1e-5f);
        double inv = 1 / Math.sqrt(ss / n + 1e-5);
        for (int i = 0; i < n; i++) assertEquals(wt[i] * x[i] * inv, out[i], 1e-5);
    }
}
