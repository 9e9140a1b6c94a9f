package dev.drllm.cpu;

import dev.drllm.model.DType;
import dev.drllm.quant.BlockCodec;
import jdk.incubator.vector.FloatVector;
import java.lang.foreign.*;
import java.util.*;
import static dev.drllm.cpu.CpuKernels.*;

/**
 * One-thread GEMM layout variants (8190 x 2048 x 128 tokens): GemmLab DTYPE v[,v..] [rounds].
 * cur   : main's loop (xT row stride tp=128 floats = 512 B: each k-row of a token block in one of 8 L1 sets)
 * pad   : the same with the xT row stride 144 floats (576 B: every L1 set)
 * pk    : token-blocked xT (per block of TT tokens, k rows of 64 B contiguous)
 * pkG   : pk, G row tiles widened at once (KT2 columns), each xT block reused by them from L1
 * *nw   : without widening (the weight tile left as it is)
 * l1    : tile6 over one L1-resident xT block (peak reference)
 */
public class GemmLab {
    static final int KT2 = Integer.getInteger("kt2", 128), G = Integer.getInteger("g", 4);
    static final int KH = 128;
    static final int ROWS = 8190, COLS = 2048, TOK = 128;

    static void cur(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        int panel = Math.max(KT, PANEL / TOK / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            for (int ob = 0; ob < rows; ob += 6) {
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (widen) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < TOK; t0 += TT) {
                        int yb = ((t0 / TT) * rows + ob) * TT;
                        tile6(xT, ((long) kb * tp + t0) * 4L, tp * 4L, kl, wbuf, KT, 0, yT, yb);
                    }
                }
            }
        }
    }

    static void curp(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        int panel = Math.max(KT, PANEL / TOK / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            for (int ob = 0; ob < rows; ob += 6) {
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (widen) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < TOK; t0 += TT) {
                        int yb = ((t0 / TT) * rows + ob) * TT;
                        tile6p(xT, tp, t0, kb, kl, wbuf, yT, yb);
                    }
                }
            }
        }
    }

    static void padq(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        int panel = Math.max(KT, PANEL / TOK / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            for (int ob = 0; ob < rows; ob += 6) {
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (widen) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < TOK; t0 += TT) {
                        int yb = ((t0 / TT) * rows + ob) * TT;
                        tile6q(xT, ((long) kb * tp + t0) * 4L, tp * 4L, kl, wbuf, yT, yb);
                    }
                }
            }
        }
    }
    static void pkq(MemorySegment xP, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        int panel = Math.max(KT, PANEL / TOK / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            for (int ob = 0; ob < rows; ob += 6) {
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (widen) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < TOK; t0 += TT) {
                        int yb = ((t0 / TT) * rows + ob) * TT;
                        tile6q(xP, ((long) (t0 / TT) * in + kb) * TT * 4L, STEP, kl, wbuf, yT, yb);
                    }
                }
            }
        }
    }
    // packed, G row tiles of KH columns widened into G buffers, each xT block (KH x TT, 8 KiB) reused by them from L1
    static float[][] WB = new float[8][6 * 256];
    static void pkGq(MemorySegment xP, int in, MemorySegment seg, DType d, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        BlockCodec c = BlockCodec.of(d);
        for (int ob = 0; ob < rows; ob += 6 * G) {
            int ng = Math.min(G, (rows - ob) / 6);
            for (int kb = 0; kb < in; kb += KH) {
                if (widen) for (int g = 0; g < ng; g++) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + 6 * g + r) * in + kb), WB[g], r * KH, KH / d.blockSize());
                for (int t0 = 0; t0 < TOK; t0 += TT) {
                    long xo = ((long) (t0 / TT) * in + kb) * TT * 4L;
                    for (int g = 0; g < ng; g++) tile6h(xP, xo, STEP, KH, WB[g], yT, ((t0 / TT) * rows + ob + 6 * g) * TT);
                }
            }
        }
    }
    // current layout, G row tiles of KH columns, xT rows with stride tp
    static void curGq(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        BlockCodec c = BlockCodec.of(d);
        for (int ob = 0; ob < rows; ob += 6 * G) {
            int ng = Math.min(G, (rows - ob) / 6);
            for (int kb = 0; kb < in; kb += KH) {
                if (widen) for (int g = 0; g < ng; g++) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + 6 * g + r) * in + kb), WB[g], r * KH, KH / d.blockSize());
                for (int t0 = 0; t0 < TOK; t0 += TT) {
                    long xo = ((long) kb * tp + t0) * 4L;
                    for (int g = 0; g < ng; g++) tile6h(xT, xo, tp * 4L, KH, WB[g], yT, ((t0 / TT) * rows + ob + 6 * g) * TT);
                }
            }
        }
    }

    static int SINK;
    /** mode 0: plain; 1: widen from rows 0..5 (cache-resident); 2: touch next tile's panel lines before the sweep; 3: touch spread over the sweep */
    static void curT(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, int mode) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        int panel = Math.max(KT, PANEL / TOK / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        int sink = 0;
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            long pb = d.bytesOf(p1 - p0);
            for (int ob = 0; ob < rows; ob += 6) {
                int nb = Math.min(6, rows - ob - 6);
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (mode == 2 && kb == p0) for (int r = 0; r < nb; r++) { long o = d.bytesOf((long) (ob + 6 + r) * in + p0); for (long b = 0; b < pb; b += 64) sink += seg.get(ValueLayout.JAVA_BYTE, o + b); }
                    for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) ((mode == 1 ? 0 : ob) + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < TOK; t0 += TT) {
                        int yb = ((t0 / TT) * rows + ob) * TT;
                        tile6p(xT, tp, t0, kb, kl, wbuf, yT, yb);
                        if (mode == 3 && kb == p0 && t0 / TT < nb) { long o = d.bytesOf((long) (ob + 6 + t0 / TT) * in + p0); for (long b = 0; b < pb; b += 64) sink += seg.get(ValueLayout.JAVA_BYTE, o + b); }
                    }
                }
            }
        }
        SINK += sink;
    }

    // packed: xP[(tb * in + k) * TT + tt]
    static void pk(MemorySegment xP, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        int panel = Math.max(KT, PANEL / TOK / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            for (int ob = 0; ob < rows; ob += 6) {
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (widen) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < TOK; t0 += TT) {
                        int yb = ((t0 / TT) * rows + ob) * TT;
                        tile6(xP, ((long) (t0 / TT) * in + kb) * TT * 4L, STEP, kl, wbuf, KT, 0, yT, yb);
                    }
                }
            }
        }
    }
    static final long STEP = TT * 4L; // not final: C2 does not see a constant stride

    static void pkG(MemorySegment xP, int in, MemorySegment seg, DType d, float[] wbuf, float[] yT, boolean widen) {
        int rows = ROWS;
        Arrays.fill(yT, 0, rows * TOK, 0f);
        BlockCodec c = BlockCodec.of(d);
        int span = 6 * G;
        for (int ob = 0; ob < rows; ob += span) {
            int ng = Math.min(G, (rows - ob) / 6);
            for (int kb = 0; kb < in; kb += KT2) {
                int kl = Math.min(KT2, in - kb);
                if (widen) for (int r = 0; r < 6 * ng; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT2, kl / d.blockSize());
                for (int t0 = 0; t0 < TOK; t0 += TT) {
                    long xo = ((long) (t0 / TT) * in + kb) * TT * 4L;
                    for (int g = 0; g < ng; g++) {
                        int yb = ((t0 / TT) * rows + ob + 6 * g) * TT;
                        tile6(xP, xo, STEP, kl, wbuf, KT2, g * 6 * KT2, yT, yb);
                    }
                }
            }
        }
    }

    static void l1(MemorySegment xP, float[] wbuf, float[] yT) {
        // same flop count as one GEMM: ROWS/6 * (COLS/KT) * (TOK/TT) tile calls over one 16 KiB block
        for (int n = 0; n < ROWS / 6 * (COLS / KT) * (TOK / TT); n++) tile6(xP, 0, STEP, KT, wbuf, KT, 0, yT, 0);
    }

    static void tile6(MemorySegment xT, long xo, long step, int kl, float[] wb, int ld, int w0, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        int k = w0, ke = w0 + kl;
        for (; k + 2 <= ke; k += 2, xo += 2 * step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[ld + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * ld + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * ld + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * ld + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * ld + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + step, NATIVE); x1 = FloatVector.fromMemorySegment(F, xT, xo + step + 4L * LANES, NATIVE);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[ld + k + 1]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * ld + k + 1]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * ld + k + 1]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * ld + k + 1]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * ld + k + 1]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }

    static void tile6p(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long xo = ((long) kb * tp + t0) * 4L, step = tp * 4L;
        int k = 0;
        for (; k + 2 <= kl; k += 2, xo += 2 * step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + step, NATIVE);
            x1 = FloatVector.fromMemorySegment(F, xT, xo + step + 4L * LANES, NATIVE);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k + 1]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k + 1]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k + 1]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k + 1]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k + 1]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        for (; k < kl; k++, xo += step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }


    static void tile6q(MemorySegment xT, long xo, long step, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        int k = 0;
        for (; k + 2 <= kl; k += 2, xo += 2 * step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + step, NATIVE);
            x1 = FloatVector.fromMemorySegment(F, xT, xo + step + 4L * LANES, NATIVE);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k + 1]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k + 1]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k + 1]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k + 1]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k + 1]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        for (; k < kl; k++, xo += step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }


    static void tile6h(MemorySegment xT, long xo, long step, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        int k = 0;
        for (; k + 2 <= kl; k += 2, xo += 2 * step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KH + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KH + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KH + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KH + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KH + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + step, NATIVE);
            x1 = FloatVector.fromMemorySegment(F, xT, xo + step + 4L * LANES, NATIVE);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KH + k + 1]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KH + k + 1]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KH + k + 1]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KH + k + 1]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KH + k + 1]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        for (; k < kl; k++, xo += step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KH + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KH + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KH + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KH + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KH + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }


    public static void main(String[] a) {
        DType d = DType.valueOf(a[0]);
        String[] vs = a[1].split(",");
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 4;
        Arena arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        long rb = d.bytesOf(COLS);
        MemorySegment seg = arena.allocate(rb * ROWS, 64);
        float[] row = new float[COLS];
        for (int r = 0; r < ROWS; r++) { for (int i = 0; i < COLS; i++) row[i] = (float) (rnd.nextDouble() - 0.5); BlockCodec.of(d).quantize(row, 0, COLS / d.blockSize(), seg, r * rb); }
        float[] x = new float[TOK * COLS];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
        MemorySegment xT = arena.allocate((long) COLS * 128 * 4, 64), xT144 = arena.allocate((long) COLS * 144 * 4, 64), xP = arena.allocate((long) COLS * TOK * 4, 64);
        for (int t = 0; t < TOK; t++) for (int k = 0; k < COLS; k++) {
            float v = x[t * COLS + k];
            xT.setAtIndex(ValueLayout.JAVA_FLOAT, (long) k * 128 + t, v);
            xT144.setAtIndex(ValueLayout.JAVA_FLOAT, (long) k * 144 + t, v);
            xP.setAtIndex(ValueLayout.JAVA_FLOAT, ((long) (t / TT) * COLS + k) * TT + t % TT, v);
        }
        float[] wbuf = new float[Math.max(WBUF, 6 * G * KT2 + 64)], yT = new float[ROWS * TOK], yRef = null;
        double flop = 2.0 * ROWS * COLS * TOK;
        for (String v : vs) { run(v, xT, xT144, xP, seg, d, wbuf, yT); if (v.endsWith("nw") || v.startsWith("l1") || v.equals("t1")) continue; if (yRef == null) yRef = yT.clone(); else { double md = 0; for (int i = 0; i < yT.length; i++) md = Math.max(md, Math.abs(yT[i] - yRef[i])); System.out.println(v + " maxdiff vs first " + md); } }
        for (int r = 0; r < rounds; r++) {
            StringBuilder sb = new StringBuilder("round " + r + ":");
            for (String v : vs) {
                long t0 = System.nanoTime(); int n = 0;
                while (System.nanoTime() - t0 < 1.0e9) { run(v, xT, xT144, xP, seg, d, wbuf, yT); n++; }
                sb.append(String.format(" %s %.1f", v, n * flop / (System.nanoTime() - t0)));
            }
            System.out.println(sb + " GFLOP/s");
        }
    }

    static void run(String v, MemorySegment xT, MemorySegment xT144, MemorySegment xP, MemorySegment seg, DType d, float[] wbuf, float[] yT) {
        switch (v) {
            case "cur" -> cur(xT, 128, COLS, seg, d, wbuf, yT, true);
            case "curnw" -> cur(xT, 128, COLS, seg, d, wbuf, yT, false);
            case "pad" -> cur(xT144, 144, COLS, seg, d, wbuf, yT, true);
            case "padnw" -> cur(xT144, 144, COLS, seg, d, wbuf, yT, false);
            case "pk" -> pk(xP, COLS, seg, d, wbuf, yT, true);
            case "pknw" -> pk(xP, COLS, seg, d, wbuf, yT, false);
            case "pkG" -> pkG(xP, COLS, seg, d, wbuf, yT, true);
            case "pkGnw" -> pkG(xP, COLS, seg, d, wbuf, yT, false);
            case "l1" -> l1(xP, wbuf, yT);
            case "t0" -> curT(xT, 128, COLS, seg, d, wbuf, yT, 0);
            case "t1" -> curT(xT, 128, COLS, seg, d, wbuf, yT, 1);
            case "t2" -> curT(xT, 128, COLS, seg, d, wbuf, yT, 2);
            case "t3" -> curT(xT, 128, COLS, seg, d, wbuf, yT, 3);
            case "padq" -> padq(xT144, 144, COLS, seg, d, wbuf, yT, true);
            case "padqnw" -> padq(xT144, 144, COLS, seg, d, wbuf, yT, false);
            case "curq" -> padq(xT, 128, COLS, seg, d, wbuf, yT, true);
            case "curqnw" -> padq(xT, 128, COLS, seg, d, wbuf, yT, false);
            case "pkq" -> pkq(xP, COLS, seg, d, wbuf, yT, true);
            case "pkqnw" -> pkq(xP, COLS, seg, d, wbuf, yT, false);
            case "pkGq" -> pkGq(xP, COLS, seg, d, yT, true);
            case "pkGqnw" -> pkGq(xP, COLS, seg, d, yT, false);
            case "curGq" -> curGq(xT, 128, COLS, seg, d, yT, true);
            case "l1q" -> { for (int n = 0; n < ROWS / 6 * (COLS / KT) * (TOK / TT); n++) tile6q(xP, 0, STEP, KT, wbuf, yT, 0); }
            case "l1p" -> { for (int n = 0; n < ROWS / 6 * (COLS / KT) * (TOK / TT); n++) tile6p(xT, 128, 0, 0, KT, wbuf, yT, 0); }
            case "curp" -> curp(xT, 128, COLS, seg, d, wbuf, yT, true);
            case "curpnw" -> curp(xT, 128, COLS, seg, d, wbuf, yT, false);
            default -> throw new IllegalArgumentException(v);
        }
    }
}
