package dev.drllm.cuda;

import dev.drllm.cpu.CpuKernels;
import dev.drllm.model.RopeScaling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel against the CPU backend's arithmetic (CpuKernels) or a plain Java reference of the
 * same formula, on seeded random inputs. Tolerances: f32 results that only differ in summation order
 * get 1e-4 relative to the sum of absolute terms (n·ε_f32 for n ≤ 2048 is ~1.2e-4); values the kernel
 * stores as bf16 get one bf16 rounding (2⁻⁸ relative).
 */
class CudaKernelsTest {
    static CudaContext cu;
    static CudaKernels k;

    @BeforeAll
    static void open() {
        if (!CudaRuntime.availability().available()) return;
        cu = new CudaContext(0);
        k = new CudaKernels(cu);
    }

    @BeforeEach
    void gpu() {
        Gpu.assume();
    }

    @AfterAll
    static void close() {
        if (cu != null) cu.close();
    }

    static void near(String what, float expected, float actual, double tol) {
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " got " + actual + " (tol " + tol + ")");
    }

    @Test
    void gemvAllModesTilesAndWidths() {
        Random r = new Random(1);
        for (int mode : new int[]{CudaKernels.PLAIN, CudaKernels.RMSNORM, CudaKernels.SWIGLU}) {
            for (int T : new int[]{1, 3, 8, 13}) {
                for (int in : new int[]{64, 100, 2048}) {
                    int out = 300, xs = mode == CudaKernels.SWIGLU ? 2 * in : in;
                    float[] x = Gpu.random(r, T * xs, 1f), W = Gpu.randomBf16(r, out * in, 0.05f);
                    float[] nw = Gpu.random(r, in, 1f), b = Gpu.random(r, out, 0.1f), y0 = Gpu.random(r, T * out, 1f);
                    boolean acc = (T + in) % 2 == 1;
                    long dx = cu.uploadNew(x), dW = Gpu.uploadBf16(cu, W), dn = cu.uploadNew(nw), db = cu.uploadNew(b), dy = cu.uploadNew(y0);
                    k.gemv(dx, xs, mode, dn, 1e-5f, dW, db, dy, out, acc, T, in, out, 0);
                    float[] y = cu.downloadFloats(dy, T * out);
                    for (int t = 0; t < T; t++) {
                        float[] xp = new float[in];
                        if (mode == CudaKernels.RMSNORM) CpuKernels.rmsnorm(x, t * xs, xp, 0, nw, in, 1e-5f);
                        for (int i = 0; i < in; i++) {
                            if (mode == CudaKernels.PLAIN) xp[i] = x[t * xs + i];
                            if (mode == CudaKernels.SWIGLU) xp[i] = CpuKernels.silu(x[t * xs + i]) * x[t * xs + in + i];
                        }
                        for (int o = 0; o < out; o++) {
                            double s = 0, mag = 0;
                            for (int i = 0; i < in; i++) {
                                s += (double) xp[i] * W[o * in + i];
                                mag += Math.abs((double) xp[i] * W[o * in + i]);
                            }
                            double want = s + b[o] + (acc ? y0[t * out + o] : 0);
                            near("gemv mode " + mode + " T " + T + " in " + in + " [" + t + "," + o + "]", (float) want, y[t * out + o],
                                    1e-4 * (mag + Math.abs(b[o]) + (acc ? Math.abs(y0[t * out + o]) : 0)) + 1e-6);
                        }
                    }
                    for (long p : new long[]{dx, dW, dn, db, dy}) cu.free(p);
                }
            }
        }
    }

    @Test
    void cublasGemmMatchesBf16Reference() {
        Random r = new Random(2);
        int T = 37, in = 160, out = 96;
        float[] x = Gpu.randomBf16(r, T * in, 1f), W = Gpu.randomBf16(r, out * in, 0.1f), y0 = Gpu.random(r, T * out, 1f);
        long dx = Gpu.uploadBf16(cu, x), dW = Gpu.uploadBf16(cu, W), dy = cu.uploadNew(y0);
        cu.gemm(dx, dW, dy, T, in, out, out, true);
        float[] y = cu.downloadFloats(dy, T * out);
        for (int t = 0; t < T; t++)
            for (int o = 0; o < out; o++) {
                double s = y0[t * out + o], mag = Math.abs(y0[t * out + o]);
                for (int i = 0; i < in; i++) {
                    s += (double) x[t * in + i] * W[o * in + i];
                    mag += Math.abs((double) x[t * in + i] * W[o * in + i]);
                }
                near("gemm [" + t + "," + o + "]", (float) s, y[t * out + o], 1e-4 * mag + 1e-6);
            }
    }

    @Test
    void embedNormBiasSwigluToBf16() {
        Random r = new Random(3);
        int V = 50, H = 72, T = 5, F = 40;
        float[] table = Gpu.randomBf16(r, V * H, 1f);
        int[] ids = {3, 0, 49, 3, 17};
        long dt = Gpu.uploadBf16(cu, table), di = cu.uploadNew(ids), dx = cu.alloc(4L * T * H);
        k.embedGather(di, dt, dx, T, H, V);
        float[] x = cu.downloadFloats(dx, T * H);
        for (int t = 0; t < T; t++)
            for (int i = 0; i < H; i++) assertEquals(table[ids[t] * H + i], x[t * H + i], "embedding exact");

        float[] delta = Gpu.random(r, T * H, 1f), w = Gpu.random(r, H, 1f);
        long dd = cu.uploadNew(delta), dw = cu.uploadNew(w), oF = cu.alloc(4L * T * H), oB = cu.alloc(2L * T * H);
        k.addRmsnorm(dx, dd, dw, oF, oB, T, H, 1e-6f, 0);
        float[] xs = cu.downloadFloats(dx, T * H), nf = cu.downloadFloats(oF, T * H);
        float[] nb = Gpu.fromBf16(cu.downloadShorts(oB, T * H));
        float[] sum = new float[T * H], ref = new float[T * H];
        for (int i = 0; i < T * H; i++) sum[i] = x[i] + delta[i];
        assertArrayEquals(sum, xs, 0f, "residual add is exact in f32");
        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(sum, t * H, ref, t * H, w, H, 1e-6f);
        for (int i = 0; i < T * H; i++) {
            near("rmsnorm f32 " + i, ref[i], nf[i], 1e-5 * (1 + Math.abs(ref[i])));
            near("rmsnorm bf16 " + i, ref[i], nb[i], Math.abs(ref[i]) / 128 + 1e-6);
        }

        float[] b = Gpu.random(r, H, 1f);
        long db = cu.uploadNew(b);
        k.biasAdd(dx, db, T, H, H);
        float[] xb = cu.downloadFloats(dx, T * H);
        for (int i = 0; i < T * H; i++) assertEquals(sum[i] + b[i % H], xb[i], 0f, "bias add");

        float[] gu = Gpu.random(r, T * 2 * F, 2f);
        long dg = cu.uploadNew(gu), sF = cu.alloc(4L * T * F), sB = cu.alloc(2L * T * F);
        k.swiglu(dg, sF, sB, T, F);
        float[] s = cu.downloadFloats(sF, T * F);
        for (int t = 0; t < T; t++)
            for (int i = 0; i < F; i++) {
                float want = CpuKernels.silu(gu[t * 2 * F + i]) * gu[t * 2 * F + F + i];
                near("swiglu", want, s[t * F + i], 1e-6 * (1 + Math.abs(want)));
            }
        long cB = cu.alloc(2L * T * F);
        k.toBf16(sF, cB, (long) T * F);
        float[] c = Gpu.fromBf16(cu.downloadShorts(cB, T * F));
        for (int i = 0; i < T * F; i++) assertEquals(Gpu.bf16(s[i]), c[i], 0f, "to_bf16 rounds to nearest even like SafetensorsWriter");
    }

    /** bias, q/k norm, RoPE (llama3 frequencies, bf16-rounded like ModelConfig) and the cache store. */
    @Test
    void qkvPostMatchesCpuRope() {
        Random r = new Random(4);
        int nh = 4, nkv = 2, hd = 16, qd = nh * hd, kvd = nkv * hd, W = qd + 2 * kvd, T = 6, cap = 20, pos0 = 9;
        float[] inv = new RopeScaling("llama3", 500000, 32, 1, 4, 512).inverseFrequencies(hd);
        for (int i = 0; i < inv.length; i++) inv[i] = Gpu.bf16(inv[i]);
        for (boolean qk : new boolean[]{false, true}) {
            float[] qkv = Gpu.random(r, T * W, 1f), bias = Gpu.random(r, W, 0.5f), qn = Gpu.random(r, hd, 1f), kn = Gpu.random(r, hd, 1f);
            long dq = cu.uploadNew(qkv), db = cu.uploadNew(bias), dqn = cu.uploadNew(qn), dkn = cu.uploadNew(kn), di = cu.uploadNew(inv);
            long pos = cu.uploadNew(new int[]{pos0});
            long kc = cu.alloc(2L * cap * kvd), vc = cu.alloc(2L * cap * kvd);
            cu.memsetZero(kc, 2L * cap * kvd);
            k.qkvPost(dq, W, db, qk ? dqn : 0, qk ? dkn : 0, 1e-6f, di, 0, pos, kc, vc, (long) cap * kvd, T, nh, nkv, hd, 0);
            float[] q = cu.downloadFloats(dq, T * W);
            float[] kk = Gpu.fromBf16(cu.downloadShorts(kc, cap * kvd)), vv = Gpu.fromBf16(cu.downloadShorts(vc, cap * kvd));
            float[] cos = new float[hd / 2], sin = new float[hd / 2];
            for (int t = 0; t < T; t++) {
                float[] row = new float[W];
                for (int i = 0; i < W; i++) row[i] = qkv[t * W + i] + bias[i];
                if (qk) {
                    for (int h = 0; h < nh; h++) CpuKernels.rmsnorm(row, h * hd, row, h * hd, qn, hd, 1e-6f);
                    for (int h = 0; h < nkv; h++) CpuKernels.rmsnorm(row, qd + h * hd, row, qd + h * hd, kn, hd, 1e-6f);
                }
                for (int i = 0; i < hd / 2; i++) {
                    float f = inv[i] * (float) (pos0 + t);
                    cos[i] = (float) Math.cos(f);
                    sin[i] = (float) Math.sin(f);
                }
                CpuKernels.rope(row, 0, nh, hd, cos, sin);
                CpuKernels.rope(row, qd, nkv, hd, cos, sin);
                for (int i = 0; i < qd; i++) near("q[" + t + "," + i + "] qknorm=" + qk, row[i], q[t * W + i], 2e-5 * (1 + Math.abs(row[i])));
                for (int i = 0; i < kvd; i++) {
                    int at = (pos0 + t) * kvd + i;
                    near("k[" + t + "," + i + "]", row[qd + i], kk[at], Math.abs(row[qd + i]) / 128 + 2e-5);
                    near("v[" + t + "," + i + "]", row[qd + kvd + i], vv[at], Math.abs(row[qd + kvd + i]) / 256 + 1e-7);
                }
            }
            for (int p = 0; p < pos0; p++) assertEquals(0f, kk[p * kvd], "positions before the new tokens untouched");
        }
    }

    static float[] attentionRef(float[] q, int qStride, float[] kc, float[] vc, int rows, int nh, int nkv, int hd, int[] rowPos) {
        int kvd = nkv * hd, group = nh / nkv;
        float[] out = new float[rows * nh * hd];
        for (int t = 0; t < rows; t++)
            for (int h = 0; h < nh; h++) {
                int n = rowPos[t] + 1, kh = h / group;
                double[] s = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double d = 0;
                    for (int e = 0; e < hd; e++) d += (double) q[t * qStride + h * hd + e] * kc[j * kvd + kh * hd + e];
                    s[j] = d / Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) sum += s[j] = Math.exp(s[j] - max);
                for (int e = 0; e < hd; e++) {
                    double a = 0;
                    for (int j = 0; j < n; j++) a += s[j] / sum * vc[j * kvd + kh * hd + e];
                    out[(t * nh + h) * hd + e] = (float) a;
                }
            }
        return out;
    }

    @Test
    void prefillAndDecodeAttention() {
        Random r = new Random(5);
        for (int hd : new int[]{16, 64, 128}) {
            int nh = 8, nkv = 2, kvd = nkv * hd, qd = nh * hd, cap = 300;
            float[] kc = Gpu.randomBf16(r, cap * kvd, 1f), vc = Gpu.randomBf16(r, cap * kvd, 1f);
            long dk = Gpu.uploadBf16(cu, kc), dv = Gpu.uploadBf16(cu, vc);
            // prefill: 45 rows at positions 200..244 (keys before them already cached)
            int T = 45, pos0 = 200;
            float[] q = Gpu.random(r, T * qd, 1f);
            long dq = cu.uploadNew(q), pos = cu.uploadNew(new int[]{pos0}), oF = cu.alloc(4L * T * qd), oB = cu.alloc(2L * T * qd);
            k.attnPrefill(dq, qd, dk, dv, pos, T, nh, nkv, hd, oF, oB, qd);
            int[] rp = new int[T];
            for (int t = 0; t < T; t++) rp[t] = pos0 + t;
            float[] want = attentionRef(q, qd, kc, vc, T, nh, nkv, hd, rp), got = cu.downloadFloats(oF, T * qd);
            float[] gotB = Gpu.fromBf16(cu.downloadShorts(oB, T * qd));
            for (int i = 0; i < want.length; i++) {
                near("prefill hd " + hd + " [" + i + "]", want[i], got[i], 1e-4);
                near("prefill bf16 out", want[i], gotB[i], Math.abs(want[i]) / 128 + 1e-4);
            }
            // decode: 3 sequences of one slot, rows gathered in a different order, split-K
            int B = 3;
            float[] kc3 = Gpu.randomBf16(r, B * cap * kvd, 1f), vc3 = Gpu.randomBf16(r, B * cap * kvd, 1f);
            long dk3 = Gpu.uploadBf16(cu, kc3), dv3 = Gpu.uploadBf16(cu, vc3);
            int[] seqPos = {5, 299, 130}, rowSeq = {2, 0, 1};
            float[] qd3 = Gpu.random(r, B * qd, 1f);
            long dq3 = cu.uploadNew(qd3), dsp = cu.uploadNew(seqPos), drs = cu.uploadNew(rowSeq);
            var sp = LaunchGeometry.decodeSplits(cap);
            long pm = cu.alloc(4L * B * nh * sp.count()), pl = cu.alloc(4L * B * nh * sp.count()), pacc = cu.alloc(4L * B * nh * sp.count() * hd);
            long o3 = cu.alloc(4L * B * qd);
            k.attnDecode(dq3, qd, dk3, dv3, (long) cap * kvd, drs, dsp, B, nh, nkv, hd, sp, pm, pl, pacc, o3, 0, qd, 0);
            float[] g3 = cu.downloadFloats(o3, B * qd);
            for (int row = 0; row < B; row++) {
                int s = rowSeq[row];
                float[] ks = java.util.Arrays.copyOfRange(kc3, s * cap * kvd, (s + 1) * cap * kvd);
                float[] vs = java.util.Arrays.copyOfRange(vc3, s * cap * kvd, (s + 1) * cap * kvd);
                float[] qr = java.util.Arrays.copyOfRange(qd3, row * qd, (row + 1) * qd);
                float[] w = attentionRef(qr, qd, ks, vs, 1, nh, nkv, hd, new int[]{seqPos[s]});
                for (int i = 0; i < qd; i++) near("decode hd " + hd + " row " + row + " [" + i + "]", w[i], g3[row * qd + i], 1e-4);
            }
        }
    }

    @Test
    void routerPoolsWindowsAndArgmaxes() {
        Random r = new Random(6);
        int H = 96, R = 128;
        for (int T : new int[]{1, 5, 23, 64}) {
            int Wn = 8, nw = Math.min(Wn, T), ws = T / nw;
            float[] x = Gpu.random(r, T * H, 1f), w1 = Gpu.random(r, R * H, 0.1f), b1 = Gpu.random(r, R, 0.1f);
            float[] w2 = Gpu.random(r, 3 * R, 0.3f), b2 = Gpu.random(r, 3, 0.1f);
            long dx = cu.uploadNew(x), dw1 = cu.uploadNew(w1), db1 = cu.uploadNew(b1), dw2 = cu.uploadNew(w2), db2 = cu.uploadNew(b2);
            long pooled = cu.alloc(4L * nw * H), hid = cu.alloc(4L * nw * R), logits = cu.alloc(12), dec = cu.alloc(4);
            k.router(dx, T, H, Wn, R, dw1, db1, dw2, db2, pooled, hid, logits, dec);
            double[] avg = new double[3];
            for (int w = 0; w < nw; w++) {
                double[] p = new double[H];
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < ws; j++) p[i] += x[(w * ws + j) * H + i];
                    p[i] /= ws;
                }
                double[] h = new double[R];
                for (int j = 0; j < R; j++) {
                    double s = b1[j];
                    for (int i = 0; i < H; i++) s += w1[j * H + i] * p[i];
                    h[j] = 0.5 * s * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (s + 0.044715 * s * s * s)));
                }
                for (int c = 0; c < 3; c++) {
                    double s = b2[c];
                    for (int j = 0; j < R; j++) s += w2[c * R + j] * h[j];
                    avg[c] += s / nw;
                }
            }
            float[] got = cu.downloadFloats(logits, 3);
            for (int c = 0; c < 3; c++) near("router logit " + c + " T " + T, (float) avg[c], got[c], 1e-4 * (1 + Math.abs(avg[c])));
            int best = 0;
            for (int c = 1; c < 3; c++) if (got[c] > got[best]) best = c;
            assertEquals(best, cu.downloadInts(dec, 1)[0], "decision = argmax of the averaged logits");
        }
    }

    @Test
    void argmaxStepTiesHistoryAndPositions() {
        int V = 5000, B = 3, maxNew = 4;
        float[] l = new float[B * V];
        Random r = new Random(7);
        for (int i = 0; i < l.length; i++) l[i] = (float) r.nextGaussian();
        l[0 * V + 4000] = 9f;
        l[1 * V + 17] = 9f;
        l[1 * V + 4999] = 9f;  // tie: first index wins
        l[2 * V + 0] = 9f;
        long dl = cu.uploadNew(l), next = cu.alloc(4L * B), hist = cu.alloc(4L * B * maxNew), counts = cu.uploadNew(new int[]{0, 3, 4});
        long pos = cu.uploadNew(new int[]{10, 20, 30});
        k.argmaxStep(dl, B, V, next, hist, counts, maxNew, pos);
        assertArrayEquals(new int[]{4000, 17, 0}, cu.downloadInts(next, B));
        assertArrayEquals(new int[]{1, 4, 5}, cu.downloadInts(counts, B));
        assertArrayEquals(new int[]{11, 21, 31}, cu.downloadInts(pos, B));
        int[] h = cu.downloadInts(hist, B * maxNew);
        assertEquals(4000, h[0]);
        assertEquals(17, h[maxNew + 3]);
    }

    @Test
    void gatherScatterFollowPerSequenceCounts() {
        int B = 5, L = 3, H = 40;
        int[] counts = {1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 2, 0, 2, 1, 1};  // [b][l]
        float[] x = new float[B * H];
        for (int i = 0; i < x.length; i++) x[i] = i;
        long dc = cu.uploadNew(counts), dx = cu.uploadNew(x), xc = cu.alloc(4L * B * H), idx = cu.alloc(4L * B), n = cu.alloc(4);
        for (int layer = 0; layer < L; layer++)
            for (int rep = 0; rep < 2; rep++) {
                k.passGather(dc, layer, rep, B, L, idx, n, dx, xc, H);
                int nn = cu.downloadInts(n, 1)[0];
                int[] id = cu.downloadInts(idx, B);
                float[] c = cu.downloadFloats(xc, B * H);
                int e = 0;
                for (int b = 0; b < B; b++) {
                    if (counts[b * L + layer] <= rep) continue;
                    assertEquals(b, id[e], "index list keeps batch order");
                    assertEquals(x[b * H + 7], c[e * H + 7]);
                    e++;
                }
                assertEquals(e, nn, "active count layer " + layer + " rep " + rep);
                // scatter back a changed copy
                for (int i = 0; i < nn * H; i++) c[i] += 1000;
                cu.upload(xc, c);
                k.passScatter(idx, n, xc, dx, B, H);
                float[] back = cu.downloadFloats(dx, B * H);
                for (int b = 0; b < B; b++) {
                    float want = x[b * H] + (counts[b * L + layer] > rep ? 1000 : 0);
                    assertEquals(want, back[b * H], "scatter row " + b);
                }
                x = back;
            }
        // decisions of one routed sequence land in its counts row
        long dec = cu.uploadNew(new int[]{2, 0, 1});
        k.decisionsToCounts(dec, dc, 4, L);
        int[] c = cu.downloadInts(dc, B * L);
        assertArrayEquals(new int[]{2, 0, 1}, java.util.Arrays.copyOfRange(c, 12, 15));
    }
}
