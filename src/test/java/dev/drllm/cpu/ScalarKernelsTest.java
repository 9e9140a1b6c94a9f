package dev.drllm.cpu;

import dev.drllm.Fixtures;
import dev.drllm.model.DType;
import dev.drllm.model.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every scalar twin gives exactly the bits of its vector kernel (KernelWarmup switches between
 * them at any call), over seeded random shapes with and without tails, for every weight type.
 */
class ScalarKernelsTest {
    static final int L = CpuKernels.LANES, P = CpuKernels.PAIR;

    static float[] rnd(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    static void same(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " vector " + expected[i] + " scalar " + actual[i]);
            }
        }
    }

    @Test
    void elementwiseAndReductions() {
        Random r = new Random(1);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + r.nextInt(5 * L + 3);
            float[] x = rnd(r, n + 3), w = rnd(r, n);
            int off = r.nextInt(3);
            float[] a = new float[n + 3], b = new float[n + 3];
            CpuKernels.rmsnormVec(x, off, a, 0, w, n, 1e-5f);
            ScalarKernels.rmsnorm(x, off, b, 0, w, n, 1e-5f);
            same(a, b, "rmsnorm n=" + n);

            float[] y = rnd(r, n + 3);
            assertEquals(Float.floatToIntBits(CpuKernels.dotVec(x, off, y, 1, n)), Float.floatToIntBits(ScalarKernels.dot(x, off, y, 1, n)), "dot n=" + n);

            float[] d1 = y.clone(), d2 = y.clone();
            CpuKernels.axpyVec(0.37f, x, off, d1, 1, n);
            ScalarKernels.axpy(0.37f, x, off, d2, 1, n);
            same(d1, d2, "axpy n=" + n);

            float[] e1 = x.clone(), e2 = x.clone();
            for (int i = 0; i < e1.length; i++) e1[i] = e2[i] = e1[i] * 40; // well into the clamped range
            CpuKernels.expVec(e1, off, n);
            ScalarKernels.exp(e2, off, n);
            same(e1, e2, "exp n=" + n);

            float[] s1 = x.clone(), s2 = x.clone();
            CpuKernels.softmaxVec(s1, off, n);
            ScalarKernels.softmax(s2, off, n);
            same(s1, s2, "softmax n=" + n);

            float[] g1 = x.clone(), g2 = x.clone(), u1 = y.clone(), u2 = y.clone();
            CpuKernels.siluMulVec(g1, u1, off, n);
            ScalarKernels.siluMul(g2, u2, off, n);
            same(g1, g2, "siluMul n=" + n);

            float[] a1 = x.clone(), a2 = x.clone();
            CpuKernels.addVec(a1, y, n);
            ScalarKernels.add(a2, y, n);
            same(a1, a2, "add n=" + n);
        }
    }

    @Test
    void attention() {
        Random r = new Random(2);
        for (int trial = 0; trial < 20; trial++) {
            int hd = L * (1 + r.nextInt(4)), nb = CpuKernels.SCORE_BLOCK * (1 + r.nextInt(3)), ldk = nb + CpuKernels.SCORE_BLOCK * r.nextInt(2);
            float[] q = rnd(r, hd + 2), kT = rnd(r, hd * ldk + 4);
            float[] s1 = new float[nb + 1], s2 = new float[nb + 1];
            CpuKernels.scoresTVec(q, 2, kT, 4, ldk, hd, nb, s1, 1, 0.2f);
            ScalarKernels.scoresT(q, 2, kT, 4, ldk, hd, nb, s2, 1, 0.2f);
            same(s1, s2, "scoresT hd=" + hd + " nb=" + nb);

            int n = 1 + r.nextInt(nb), vs = hd + L * r.nextInt(2);
            float[] p = rnd(r, n + 1), v = rnd(r, n * vs + hd);
            float[] o1 = new float[hd + 3], o2 = new float[hd + 3];
            CpuKernels.pvVec(p, 1, n, v, 3 % vs, vs, hd, o1, 3);
            ScalarKernels.pv(p, 1, n, v, 3 % vs, vs, hd, o2, 3);
            same(o1, o2, "pv hd=" + hd + " n=" + n);
        }
    }

    @Test
    void matrixProductsForEveryDtypeAndTail() {
        Random r = new Random(3);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 36; trial++) {
                DType d = new DType[] {DType.BF16, DType.F16, DType.F32}[trial % 3];
                // columns: whole pairs, a tail, and more than one GEMM tile (KC / KT) now and then
                int in = P * (1 + r.nextInt(trial % 4 == 0 ? 40 : 6)) + (trial % 2 == 0 ? 0 : 1 + r.nextInt(P - 1));
                int out = 1 + r.nextInt(21);
                Tensor w = CpuKernelsTest.tensor(arena, d, out, in, rnd(r, out * in));
                int r0 = r.nextInt(Math.max(1, out / 3)), r1 = out;
                boolean split = CpuKernels.pairSplit(d);

                // matvec (decode)
                float[] x = rnd(r, 2 * in);
                float[] xs = x.clone();
                if (split) CpuKernels.splitPairs(x, in, xs, in, in);
                float[] y1 = new float[out + 2], y2 = new float[out + 2];
                CpuKernels.matvecVec(xs, in, in, w.data(), d, y1, 2, r0, r1, new float[CpuKernels.WBUF]);
                ScalarKernels.matvec(xs, in, in, w.data(), d, y2, 2, r0, r1);
                same(y1, y2, "matvec " + d + " in=" + in + " out=" + out);

                gemmsMatchTheirTwins(r, arena, w, d, in, out, r0, r1);
            }
        }
    }

    /**
     * The outer-product GEMM's register tiles (8 rows at 512 bits, 6 below: {@link CpuKernels#TILE_ROWS})
     * against the twin on shapes that cross every boundary: rows of whole tiles plus a rest, row
     * ranges starting inside a tile, token counts off the {@link CpuKernels#TT} grid, columns with a
     * tail and more than one KT tile and panel. Surefire's execution {@code avx2-species} runs this
     * class again with 256-bit vectors ({@code -XX:UseAVX=2}), checked here by the vector width.
     */
    @Test
    void outerProductTilesAtThisVectorWidth() {
        String bits = System.getProperty("drllm.test.vectorBits");
        if (bits != null && System.getProperty("os.arch").equals("amd64")) {
            assertEquals(Fixtures.vectorBitsOfRun(Integer.parseInt(bits)), 32 * L, "vector width of this run");
        }
        assertEquals(L >= 16 ? 8 : 6, CpuKernels.TILE_ROWS);
        int R = CpuKernels.TILE_ROWS;
        Random r = new Random(5);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 12; trial++) {
                DType d = new DType[] {DType.BF16, DType.F16, DType.F32}[trial % 3];
                int in = trial % 4 == 0 ? CpuKernels.PANEL / 16 + 3 * P + 1 : P * (1 + r.nextInt(20)) + (trial % 2 == 0 ? 0 : 1 + r.nextInt(P - 1));
                int out = R * (1 + r.nextInt(4)) + r.nextInt(R);
                Tensor w = CpuKernelsTest.tensor(arena, d, out, in, rnd(r, out * in));
                int r0 = trial % 3 == 0 ? 0 : 1 + r.nextInt(R);
                gemmsMatchTheirTwins(r, arena, w, d, in, out, Math.min(r0, out - 1), out);
            }
        }
    }

    /**
     * The blocked GEMM (1–15 tokens) and the outer-product GEMM (16+ tokens) on {@code w} against
     * their scalar twins, bit for bit; activations pair-split where {@code d} reads them so.
     */
    private static void gemmsMatchTheirTwins(Random r, Arena arena, Tensor w, DType d, int in, int out, int r0, int r1) {
        boolean split = CpuKernels.pairSplit(d);
        // blocked GEMM, 1-15 tokens
        int tokens = 1 + r.nextInt(15);
        float[] xt = rnd(r, tokens * in), xtp = xt.clone();
        if (split) for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(xt, t * in, xtp, t * in, in);
        float[] g1 = new float[tokens * out], g2 = new float[tokens * out];
        CpuKernels.gemm(split ? xtp : xt, tokens, in, w.data(), d, g1, out, r0, r1, new float[CpuKernels.WBUF]);
        ScalarKernels.gemm(split ? xtp : xt, tokens, in, w, g2, out, r0, r1);
        same(g1, g2, "gemm " + d + " in=" + in + " tokens=" + tokens);

        // outer-product GEMM, 16+ tokens
        int T = CpuKernels.GEMM_T_MIN + r.nextInt(20), tp = CpuKernels.paddedTokens(T);
        float[] xl = rnd(r, T * in);
        MemorySegment xT = arena.allocate((long) in * tp * 4, CpuKernels.XT_ALIGN);
        CpuKernels.transpose(xl, T, in, xT, tp, split, 0, in);
        float[] t1 = new float[T * out], t2 = new float[T * out];
        CpuKernels.gemmTVec(xT, tp, xl, T, in, w, t1, out, r0, r1, new float[CpuKernels.WBUF], new float[out * tp], 0);
        ScalarKernels.gemmT(xT, tp, xl, T, in, w, t2, out, r0, r1);
        same(t1, t2, "gemmT " + d + " in=" + in + " tokens=" + T);
    }

    /** F16 weights with subnormals, ±0, ±65504 and, in some rows, ±inf or NaN: every product path gives its twin's bits. */
    @Test
    void f16ProductsOnSpecialHalvesMatchTheirTwins() {
        Random r = new Random(4);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 30; trial++) {
                int in = P * (1 + r.nextInt(trial % 4 == 0 ? 40 : 6)) + (trial % 2 == 0 ? 0 : 1 + r.nextInt(P - 1));
                int out = 1 + r.nextInt(21);
                Tensor w = CpuKernelsTest.f16Tensor(arena, out, in, CpuKernelsTest.f16Weights(r, out, in, new boolean[out]));
                int r0 = r.nextInt(Math.max(1, out / 3)), r1 = out;
                DType d = DType.F16;

                // activations as they come, then with one of 2^16 or more (the decode's other form, see CpuKernels.matvecF16)
                for (boolean large : new boolean[] {false, true}) {
                    float[] x = rnd(r, 2 * in), xs = x.clone();
                    if (large) x[in + r.nextInt(in)] = -70_000f;
                    CpuKernels.splitPairs(x, in, xs, in, in);
                    float[] y1 = new float[out + 2], y2 = new float[out + 2];
                    CpuKernels.matvecVec(xs, in, in, w.data(), d, y1, 2, r0, r1, new float[CpuKernels.WBUF]);
                    ScalarKernels.matvec(xs, in, in, w.data(), d, y2, 2, r0, r1);
                    same(y1, y2, "matvec F16 in=" + in + " out=" + out + (large ? " |x| > 2^16" : ""));
                }

                gemmsMatchTheirTwins(r, arena, w, d, in, out, r0, r1);
            }
        }
    }

    /** The background warm-up switches every family to its vector body (default mode, C2 available). */
    @Test
    void warmUpSwitchesToVector() throws InterruptedException {
        CpuKernels.exp(new float[1], 0, 1); // initialises the kernels, which starts the warm-up
        boolean vector = KernelWarmup.awaitVector(java.time.Duration.ofMinutes(3));
        assertEquals(true, vector, "every kernel family on its vector body within 3 minutes");
    }
}
