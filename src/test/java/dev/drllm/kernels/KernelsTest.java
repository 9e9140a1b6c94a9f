package dev.drllm.kernels;

import dev.drllm.routing.Router;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The public kernel API against plain double-precision references written from the formulas in its javadoc. */
class KernelsTest {
    static float[] rnd(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    static void close(double[] expected, float[] actual, int off, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[off + i];
            if (Math.abs(e - a) > tol * (1 + Math.abs(e))) throw new AssertionError(what + "[" + i + "]: expected " + e + ", got " + a);
        }
    }

    static double blockMax(float[] x, int from) {
        double m = 0;
        for (int i = from; i < from + 256; i++) m = Math.max(m, Math.abs(x[i]));
        return m;
    }

    @Test
    void matmulEveryWeightTypeAndPathAgainstReference() {
        Random r = new Random(11);
        try (Arena arena = Arena.ofShared(); Workspace ws = Workspace.create(2)) {
            for (WeightType type : WeightType.values()) {
                for (int tokens : new int[] {1, 3, 5, 16, 37}) {
                    int rows = 1 + r.nextInt(70), cols = 1 + r.nextInt(300);
                    int bs = type.blockSize();
                    cols = (cols + bs - 1) / bs * bs;
                    Matrix w;
                    if (type.encodable()) {
                        w = Matrix.encode(rnd(r, rows * cols, 0.1), rows, cols, type, arena);
                    } else {
                        // read-only block types: random blocks with small, finite f16 scale fields (the first two halves of a block)
                        java.lang.foreign.MemorySegment seg = arena.allocate(rows * type.rowBytes(cols), 64);
                        for (long i = 0; i < seg.byteSize(); i++) seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
                        long bb = type.rowBytes(bs);
                        for (long b = 0; b < seg.byteSize() / bb; b++) {
                            for (int h = 0; h < 2; h++) {
                                seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, b * bb + 2 * h, Float.floatToFloat16((float) (r.nextGaussian() * 0.01)));
                            }
                        }
                        w = Matrix.of(seg, type, rows, cols);
                    }
                    float[] x = rnd(r, tokens * cols, 1), y = new float[tokens * rows];
                    Kernels.matmul(ws, w, x, tokens, y);
                    double[] ref = new double[tokens * rows], bound = new double[tokens * rows];
                    // Q4_K decode: x rounded to 8 bits per 256 values (see Kernels.matmul), |error| ≤ Σ|w| · max|x| / 254
                    boolean q8 = tokens < 4 && type == WeightType.Q4_K;
                    for (int t = 0; t < tokens; t++) {
                        for (int o = 0; o < rows; o++) {
                            double s = 0, b = 0;
                            for (int c = 0; c < cols; c++) {
                                s += (double) w.get(o, c) * x[t * cols + c];
                                if (q8) b += Math.abs((double) w.get(o, c)) * blockMax(x, t * cols + c / 256 * 256) / 254;
                            }
                            ref[t * rows + o] = s;
                            bound[t * rows + o] = b;
                        }
                    }
                    for (int i = 0; i < ref.length; i++) {
                        double e = ref[i], a = y[i], tol = 1e-4 * (1 + Math.abs(e)) + bound[i] * 1.0001;
                        if (Math.abs(e - a) > tol) throw new AssertionError(type + " " + rows + "x" + cols + " tokens " + tokens + "[" + i + "]: expected " + e + ", got " + a);
                    }
                }
            }
        }
    }

    @Test
    void normRopeSiluSoftmax() {
        Random r = new Random(12);
        int n = 77;
        float[] x = rnd(r, n + 2, 1), w = rnd(r, n, 1), out = new float[n];
        Kernels.rmsnorm(x, 2, w, 1e-5f, out, 0, n);
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) x[2 + i] * x[2 + i];
        double inv = 1 / Math.sqrt(ss / n + 1e-5);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) ref[i] = x[2 + i] * inv * w[i];
        close(ref, out, 0, 1e-5, "rmsnorm");

        int heads = 3, hd = 16, half = hd / 2, pos = 5;
        float[] inv2 = new float[half];
        for (int i = 0; i < half; i++) inv2[i] = (float) Math.pow(10000, -2.0 * i / hd);
        float[] cos = new float[2 * half], sin = new float[2 * half];
        Kernels.ropeTables(inv2, pos, 2, cos, sin);
        float[] v = rnd(r, heads * hd, 1), orig = v.clone();
        Kernels.rope(v, 0, heads, hd, cos, sin, half); // the second table row: position pos + 1
        double[] rv = new double[heads * hd];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double th = (double) inv2[i] * (pos + 1), a = orig[h * hd + i], b = orig[h * hd + i + half];
                rv[h * hd + i] = a * Math.cos(th) - b * Math.sin(th);
                rv[h * hd + i + half] = b * Math.cos(th) + a * Math.sin(th);
            }
        }
        close(rv, v, 0, 1e-5, "rope");

        float[] g = rnd(r, n, 2), u = rnd(r, n, 1), g0 = g.clone(), u0 = u.clone();
        Kernels.siluMul(g, u, 0, n);
        double[] rs = new double[n];
        for (int i = 0; i < n; i++) rs[i] = g0[i] / (1 + Math.exp(-g0[i])) * u0[i];
        close(rs, g, 0, 1e-5, "siluMul");

        float[] s = rnd(r, n, 3), s0 = s.clone();
        Kernels.softmax(s, 0, n);
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float f : s0) max = Math.max(max, f);
        for (float f : s0) sum += Math.exp(f - max);
        double[] rsm = new double[n];
        for (int i = 0; i < n; i++) rsm[i] = Math.exp(s0[i] - max) / sum;
        close(rsm, s, 0, 1e-5, "softmax");
    }

    @Test
    void attentionPrefillAndDecodeAgainstReference() {
        Random r = new Random(13);
        int heads = 4, kvHeads = 2, hd = 16, group = heads / kvHeads;
        try (Workspace ws = Workspace.singleThreaded()) {
            for (int[] tp : new int[][] {{20, 0}, {1, 20}, {3, 7}}) {
                int tokens = tp[0], pos0 = tp[1], n = pos0 + tokens;
                float[] q = rnd(r, tokens * heads * hd, 1), k = rnd(r, n * kvHeads * hd, 1), v = rnd(r, n * kvHeads * hd, 1);
                float[] out = new float[tokens * heads * hd];
                Kernels.attention(ws, q, k, v, out, tokens, pos0, heads, kvHeads, hd);
                double[] ref = new double[out.length];
                for (int t = 0; t < tokens; t++) {
                    for (int h = 0; h < heads; h++) {
                        int kvh = h / group, len = pos0 + t + 1;
                        double[] sc = new double[len];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j < len; j++) {
                            double d = 0;
                            for (int e = 0; e < hd; e++) d += (double) q[(t * heads + h) * hd + e] * k[(j * kvHeads + kvh) * hd + e];
                            sc[j] = d / Math.sqrt(hd);
                            max = Math.max(max, sc[j]);
                        }
                        for (int j = 0; j < len; j++) sum += sc[j] = Math.exp(sc[j] - max);
                        for (int e = 0; e < hd; e++) {
                            double o = 0;
                            for (int j = 0; j < len; j++) o += sc[j] / sum * v[(j * kvHeads + kvh) * hd + e];
                            ref[(t * heads + h) * hd + e] = o;
                        }
                    }
                }
                close(ref, out, 0, 1e-4, "attention tokens " + tokens + " pos0 " + pos0);
            }
        }
    }

    @Test
    void routerLogitsPoolWindowsAndAverage() {
        Random r = new Random(14);
        int H = 24, R = 10, T = 19, W = 4;
        float[] w1 = rnd(r, R * H, 0.3), b1 = rnd(r, R, 0.1), w2 = rnd(r, 3 * R, 0.3), b2 = rnd(r, 3, 0.1), x = rnd(r, T * H, 1);
        float[] got = Kernels.routerLogits(new Router(H, R, w1, b1, w2, b2), x, T, W);
        int ws = T / W;
        double[] avg = new double[3];
        for (int w = 0; w < W; w++) {
            double[] mean = new double[H];
            for (int t = w * ws; t < (w + 1) * ws; t++) for (int i = 0; i < H; i++) mean[i] += x[t * H + i] / (double) ws;
            double[] h = new double[R];
            for (int j = 0; j < R; j++) {
                double s = b1[j];
                for (int i = 0; i < H; i++) s += (double) w1[j * H + i] * mean[i];
                h[j] = 0.5 * s * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (s + 0.044715 * s * s * s)));
            }
            for (int k = 0; k < 3; k++) {
                double s = b2[k];
                for (int j = 0; j < R; j++) s += w2[k * R + j] * h[j];
                avg[k] += s / W;
            }
        }
        close(avg, got, 0, 1e-4, "router logits");
    }

    @Test
    void warmUpVectorizesEveryKernel() throws InterruptedException {
        org.junit.jupiter.api.Assertions.assertTrue(Kernels.warmUp(java.time.Duration.ofMinutes(3)));
        org.junit.jupiter.api.Assertions.assertTrue(Kernels.vectorized());
    }

    @Test
    void shapesAreChecked() {
        try (Arena arena = Arena.ofConfined(); Workspace ws = Workspace.singleThreaded()) {
            Matrix w = Matrix.encode(new float[6], 2, 3, WeightType.F32, arena);
            assertThrows(IllegalArgumentException.class, () -> Kernels.matmul(ws, w, new float[5], 2, new float[4]));
            assertThrows(IllegalArgumentException.class, () -> Matrix.of(arena.allocate(10), WeightType.BF16, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> Kernels.attention(ws, new float[8], new float[8], new float[8], new float[8], 1, 0, 3, 2, 8));
            assertEquals(6, WeightType.BF16.rowBytes(3));
            assertEquals(2 * 34, WeightType.Q8_0.rowBytes(64));
            assertThrows(IllegalArgumentException.class, () -> WeightType.Q4_K.rowBytes(64));
        }
    }
}
