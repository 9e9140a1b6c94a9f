package dev.drllm.cpu;

import dev.drllm.model.DType;
import dev.drllm.model.Tensor;

import java.lang.foreign.MemorySegment;

import static dev.drllm.cpu.CpuKernels.FLOAT_LE;
import static dev.drllm.cpu.CpuKernels.KC;
import static dev.drllm.cpu.CpuKernels.KT;
import static dev.drllm.cpu.CpuKernels.LANES;
import static dev.drllm.cpu.CpuKernels.PAIR;
import static dev.drllm.cpu.CpuKernels.SHORT_LE;

/**
 * Scalar twins of the vector kernels in {@link CpuKernels}, for the seconds after JVM start.
 *
 * <p>Vector API code is fast only once C2 has compiled it; interpreted or C1-compiled it allocates
 * every intermediate vector and runs 30–20,000× slower (measured on the warm-up operands of
 * {@link KernelWarmup}). Plain scalar loops are compiled by C1 within milliseconds and run within a
 * small factor of the compiled vector code on small models, so a fresh process runs these until
 * {@link KernelWarmup} has seen the vector kernels beat them.
 *
 * <p><b>Bit-identical results.</b> Each twin performs the same IEEE operations in the same order
 * as its vector kernel: one accumulator per vector lane ({@code lane = element mod LANES}), fused
 * multiply-adds where the kernel uses {@code fma} ({@link Math#fma} rounds once, as the vector
 * instruction does), and the kernel's fixed pairwise lane sum ({@link CpuKernels#hsum}). Switching
 * between the two at any call therefore changes no output bit ({@code ScalarKernelsTest} checks
 * every kernel over shapes with and without tails). They may allocate a lane-sized temporary: only
 * the vector kernels are allocation-free.
 */
final class ScalarKernels {
    private ScalarKernels() {}

    /** The vector kernels' lane sum: lane i + lane i ^ h for h = LANES/2 … 1, result in lane 0. */
    static float lanes(float[] acc) {
        return CpuKernels.hsum(acc, 0);
    }

    static void exp(float[] a, int off, int n) {
        int main = n - n % LANES;
        for (int i = 0; i < main; i++) a[off + i] = expPoly(a[off + i]);
        for (int i = main; i < n; i++) a[off + i] = (float) Math.exp(a[off + i]);
    }

    /** One lane of {@link CpuKernels#exp}'s vector loop. */
    static float expPoly(float v) {
        float x = Math.min(Math.max(v, -87.33f), 88.3f);
        float t = x * 1.44269504f + 12582912f;
        float k = t - 12582912f;
        float r = Math.fma(k, -0.693145752f, x);
        r = Math.fma(k, -1.42860677e-6f, r);
        float p = r * (1f / 5040f) + (1f / 720f);
        p = Math.fma(p, r, 1f / 120f);
        p = Math.fma(p, r, 1f / 24f);
        p = Math.fma(p, r, 1f / 6f);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int e = (Float.floatToRawIntBits(t) - Float.floatToRawIntBits(12582912f) + 127) << 23;
        return p * Float.intBitsToFloat(e);
    }

    static void rmsnorm(float[] x, int xOff, float[] out, int outOff, float[] weight, int n, float eps) {
        int main = n - n % LANES;
        float[] acc = new float[LANES];
        for (int i = 0; i < main; i++) {
            float v = x[xOff + i];
            acc[i % LANES] = Math.fma(v, v, acc[i % LANES]);
        }
        float ss = lanes(acc);
        for (int i = main; i < n; i++) ss += x[xOff + i] * x[xOff + i];
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < main; i++) out[outOff + i] = x[xOff + i] * inv * weight[i];
        for (int i = main; i < n; i++) out[outOff + i] = weight[i] * (x[xOff + i] * inv);
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int main = n - n % LANES;
        float[] acc = new float[LANES];
        for (int i = 0; i < main; i++) acc[i % LANES] = Math.fma(a[aOff + i], b[bOff + i], acc[i % LANES]);
        float s = lanes(acc);
        for (int i = main; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    static void axpy(float a, float[] src, int sOff, float[] dst, int dOff, int n) {
        int main = n - n % LANES;
        for (int i = 0; i < main; i++) dst[dOff + i] = Math.fma(a, src[sOff + i], dst[dOff + i]);
        for (int i = main; i < n; i++) dst[dOff + i] += a * src[sOff + i];
    }

    static void scoresT(float[] q, int qOff, float[] kT, int kOff, int ldk, int hd, int nb, float[] s, int sOff, float scale) {
        // the keys' chains advance together over d (each still sums d in order, as the vector lanes do)
        float[] acc = new float[nb];
        for (int d = 0; d < hd; d++) {
            float qd = q[qOff + d];
            int ko = kOff + d * ldk;
            for (int j = 0; j < nb; j++) acc[j] = Math.fma(kT[ko + j], qd, acc[j]);
        }
        for (int j = 0; j < nb; j++) s[sOff + j] = acc[j] * scale;
    }

    static void pv(float[] p, int pOff, int n, float[] v, int vOff, int vs, int hd, float[] out, int oOff) {
        float[] acc = new float[hd];
        for (int j = 0; j < n; j++) {
            float pj = p[pOff + j];
            int vo = j * vs + vOff;
            for (int d = 0; d < hd; d++) acc[d] = Math.fma(v[vo + d], pj, acc[d]);
        }
        System.arraycopy(acc, 0, out, oOff, hd);
    }

    static void add(float[] dst, float[] src, int n) {
        for (int i = 0; i < n; i++) dst[i] += src[i];
    }

    static void siluMul(float[] g, float[] u, int off, int n) {
        for (int i = 0; i < n; i++) {
            u[off + i] *= g[off + i];
            g[off + i] = -g[off + i];
        }
        exp(g, off, n);
        for (int i = 0; i < n; i++) g[off + i] = u[off + i] / (g[off + i] + 1f);
    }

    static void softmax(float[] s, int off, int n) {
        int main = n - n % LANES;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, s[off + i]);
        for (int i = 0; i < n; i++) s[off + i] -= max;
        exp(s, off, n);
        float[] acc = new float[LANES];
        for (int i = 0; i < main; i++) acc[i % LANES] = s[off + i] + acc[i % LANES];
        float total = lanes(acc);
        for (int i = main; i < n; i++) total += s[off + i];
        float inv = 1f / total;
        for (int i = 0; i < n; i++) s[off + i] *= inv;
    }

    // ---------------------------------------------------------------- matrix products
    //
    // Weights are read a row at a time with one bulk copy (MemorySegment.copy) and widened into a
    // float array: element-wise MemorySegment reads go through var handles, which only C2 makes
    // cheap, and interpreted they cost more than the vector kernels this replaces.

    /** Row {@code row} of W [*, in] widened to f32 in plain order into {@code out[0, in)}. */
    static void loadRow(MemorySegment w, DType d, long row, int in, float[] out, short[] tmp) {
        long off = row * in * d.bytes();
        switch (d) {
            case BF16 -> {
                MemorySegment.copy(w, SHORT_LE, off, tmp, 0, in);
                for (int i = 0; i < in; i++) out[i] = Float.intBitsToFloat((tmp[i] & 0xFFFF) << 16);
            }
            case F16 -> {
                MemorySegment.copy(w, SHORT_LE, off, tmp, 0, in);
                for (int i = 0; i < in; i++) out[i] = Float.float16ToFloat(tmp[i]);
            }
            default -> MemorySegment.copy(w, FLOAT_LE, off, out, 0, in);
        }
    }

    /** The plain index of pair-split position {@code p} (see {@link CpuKernels#splitPairs}); p itself when not split. */
    private static int plain(int p, boolean split) {
        if (!split) return p;
        int q = p % PAIR;
        return p - q + (q < LANES ? 2 * q : 2 * (q - LANES) + 1);
    }

    /** {@link CpuKernels#matvec}: per row, lane accumulators over even and odd elements (BF16, F16: pair-split) or all (F32). */
    static void matvec(float[] x, int xOff, int in, MemorySegment w, DType d, float[] y, int yOff, int r0, int r1) {
        boolean half = CpuKernels.pairSplit(d);
        int main = in - in % (half ? PAIR : LANES);
        float[] even = new float[LANES], odd = new float[LANES], row = new float[in];
        short[] tmp = new short[in];
        for (int o = r0; o < r1; o++) {
            loadRow(w, d, o, in, row, tmp);
            java.util.Arrays.fill(even, 0f);
            java.util.Arrays.fill(odd, 0f);
            for (int p = 0; p < main; p++) {
                float wv = row[plain(p, half)], xv = x[xOff + p];
                if (!half || p % PAIR < LANES) even[p % LANES] = Math.fma(wv, xv, even[p % LANES]);
                else odd[p % LANES] = Math.fma(wv, xv, odd[p % LANES]);
            }
            if (half) for (int j = 0; j < LANES; j++) even[j] = even[j] + odd[j];
            y[yOff + o] = lanes(even) + tail(x, xOff, main, in, row);
        }
    }

    /** {@link CpuKernels}' scalar tail past the last full vector (sequential, multiply then add; x there is in plain order). */
    private static float tail(float[] x, int xOff, int from, int in, float[] row) {
        float s = 0;
        for (int i = from; i < in; i++) s += row[i] * x[xOff + i];
        return s;
    }

    /** {@link CpuKernels}' blocked GEMM (4–15 tokens): per KC tile a lane-summed dot, added tile by tile. */
    static void gemm(float[] x, int tokens, int in, Tensor wt, float[] y, int ys, int r0, int r1) {
        DType d = wt.dtype();
        boolean split = CpuKernels.pairSplit(d);
        int main = in - in % (split ? PAIR : LANES);
        float[] acc = new float[LANES], row = new float[in], ps = new float[main];
        short[] tmp = new short[in];
        for (int o = r0; o < r1; o++) {
            loadRow(wt.data(), d, o, in, row, tmp);
            for (int p = 0; p < main; p++) ps[p] = row[plain(p, split)];
            for (int t = 0; t < tokens; t++) {
                int yi = t * ys + o;
                if (main == 0) y[yi] = 0f;
                for (int kb = 0; kb < main; kb += KC) {
                    int kl = Math.min(KC, main - kb);
                    java.util.Arrays.fill(acc, 0f);
                    for (int p = 0; p < kl; p++) acc[p % LANES] = Math.fma(ps[kb + p], x[t * in + kb + p], acc[p % LANES]);
                    float s = lanes(acc);
                    y[yi] = kb == 0 ? s : y[yi] + s;
                }
                y[yi] += tail(x, t * in, main, in, row);
            }
        }
    }

    /**
     * {@link CpuKernels#gemmT}: per (row, token) one FMA chain per KT tile over k in the transposed
     * activations' column order, tiles summed in order. The chains of all tokens advance together
     * (independent, contiguous in the transposed copy), as the vector kernel's lanes do.
     */
    static void gemmT(MemorySegment xTs, int tp, float[] xs, int tokens, int in, Tensor wt, float[] y, int ys, int r0, int r1) {
        DType d = wt.dtype();
        boolean split = CpuKernels.pairSplit(d);
        int main = in - in % (split ? PAIR : LANES);
        float[] xt = new float[in * tp];
        MemorySegment.copy(xTs, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, xt, 0, in * tp);
        float[] row = new float[in], ps = new float[main], chain = new float[tokens], total = new float[tokens];
        short[] tmp = new short[in];
        for (int o = r0; o < r1; o++) {
            loadRow(wt.data(), d, o, in, row, tmp);
            for (int p = 0; p < main; p++) ps[p] = row[plain(p, split)];
            java.util.Arrays.fill(total, 0f);
            for (int kb = 0; kb < main; kb += KT) {
                int kl = Math.min(KT, main - kb);
                java.util.Arrays.fill(chain, 0f);
                for (int k = kb; k < kb + kl; k++) {
                    float wv = ps[k];
                    for (int t = 0; t < tokens; t++) chain[t] = Math.fma(xt[(int) CpuKernels.xtIndex(k, t, in)], wv, chain[t]);
                }
                for (int t = 0; t < tokens; t++) total[t] = total[t] + chain[t];
            }
            for (int t = 0; t < tokens; t++) y[t * ys + o] = total[t] + tail(xs, t * in, main, in, row);
        }
    }
}
