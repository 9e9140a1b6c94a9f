package dev.drllm.cpu;

import dev.drllm.model.DType;
import dev.drllm.quant.BlockCodec;
import jdk.incubator.vector.FloatVector;
import java.lang.foreign.*;
import java.util.*;
import static dev.drllm.cpu.CpuKernels.*;

/** Single-thread GEMM loop-structure variants: GemmVar DTYPE variant[,variant] [rounds] */
public class GemmVar {
    static final int KT2 = Integer.getInteger("kt2", 128), G = Integer.getInteger("g", 4);

    // V0: the current structure (copy of gemmTVec for block types)
    static boolean SMALLY = false, UNROLL = false;
    static void v0(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, int r0, int r1, float[] wbuf, float[] yT, boolean widen) {
        int rows = r1 - r0;
        Arrays.fill(yT, 0, rows * tp, 0f);
        int panel = Math.max(KT, PANEL / tp / KT * KT);
        BlockCodec c = BlockCodec.of(d);
        for (int p0 = 0; p0 < in; p0 += panel) {
            int p1 = Math.min(in, p0 + panel);
            for (int ob = r0; ob < r1; ob += 6) {
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    if (widen) for (int r = 0; r < 6; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT, kl / d.blockSize());
                    for (int t0 = 0; t0 < tp; t0 += TT) {
                        int yb = SMALLY ? (t0 / TT) * 6 * TT : ((t0 / TT) * rows + ob - r0) * TT;
                        if (UNROLL) tile6e(xT, tp, t0, kb, kl, wbuf, yT, yb); else tile6(xT, tp, t0, kb, kl, wbuf, KT, 0, yT, yb);
                    }
                }
            }
        }
    }

    static void tile6e(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long xo = ((long) kb * tp + t0) * 4L, st = tp * 4L;
        for (int k = 0; k < kl; k += 2, xo += 2 * st) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + st, NATIVE); x1 = FloatVector.fromMemorySegment(F, xT, xo + st + 4L * LANES, NATIVE);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k + 1]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k + 1]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k + 1]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k + 1]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k + 1]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }

    // V2: G row tiles widened at once (KT2 columns), then per token block the G tiles: the xT block (KT2 x TT) reused G times from L1
    static void v2(MemorySegment xT, int tp, int in, MemorySegment seg, DType d, int r0, int r1, float[] wbuf, float[] yT, boolean widen) {
        int rows = r1 - r0;
        Arrays.fill(yT, 0, rows * tp, 0f);
        BlockCodec c = BlockCodec.of(d);
        int span = 6 * G;
        for (int ob = r0; ob < r1; ob += span) {
            int ng = Math.min(G, (r1 - ob) / 6);
            for (int kb = 0; kb < in; kb += KT2) {
                int kl = Math.min(KT2, in - kb);
                if (widen) for (int r = 0; r < 6 * ng; r++) c.dequantize(seg, d.bytesOf((long) (ob + r) * in + kb), wbuf, r * KT2, kl / d.blockSize());
                for (int t0 = 0; t0 < tp; t0 += TT) {
                    for (int g = 0; g < ng; g++) {
                        int yb = ((t0 / TT) * rows + ob + 6 * g - r0) * TT;
                        tile6(xT, tp, t0, kb, kl, wbuf, KT2, g * 6 * KT2, yT, yb);
                    }
                }
            }
        }
    }

    static void tile6(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, int ld, int w0, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long xo = ((long) kb * tp + t0) * 4L, step = tp * 4L;
        for (int k = 0; k < kl; k++, xo += step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            int wk = w0 + k;
            FloatVector w = FloatVector.broadcast(F, wb[wk]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[ld + wk]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * ld + wk]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * ld + wk]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * ld + wk]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * ld + wk]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES); o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o); FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }

    public static void main(String[] a) {
        DType d = DType.valueOf(a[0]);
        String[] vs = a[1].split(",");
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 4;
        int ROWS = 8190, COLS = 2048, tokens = 128, tp = 128; // 8190 = 1365 tiles of 6
        Arena arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        long rb = d.bytesOf(COLS);
        MemorySegment seg = arena.allocate(rb * ROWS, 64);
        float[] row = new float[COLS];
        for (int r = 0; r < ROWS; r++) { for (int i = 0; i < COLS; i++) row[i] = (float) (rnd.nextDouble() - 0.5); BlockCodec.of(d).quantize(row, 0, COLS / d.blockSize(), seg, r * rb); }
        MemorySegment xT = arena.allocate((long) COLS * tp * 4, 64);
        for (long i = 0; i < (long) COLS * tp; i++) xT.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i));
        float[] wbuf = new float[Math.max(WBUF, 6 * G * KT2 + 64)], yT = new float[ROWS * tp], yRef = null;
        double flop = 2.0 * ROWS * COLS * tokens;
        for (String v : vs) { run(v, xT, tp, COLS, seg, d, ROWS, wbuf, yT); if (yRef == null) yRef = yT.clone(); else { double md = 0; for (int i = 0; i < yT.length; i++) md = Math.max(md, Math.abs(yT[i] - yRef[i])); System.out.println(v + " maxdiff vs first " + md); } }
        for (int r = 0; r < rounds; r++) {
            StringBuilder sb = new StringBuilder("round " + r + ":");
            for (String v : vs) {
                long t0 = System.nanoTime(); int n = 0;
                while (System.nanoTime() - t0 < 1.5e9) { run(v, xT, tp, COLS, seg, d, ROWS, wbuf, yT); n++; }
                sb.append(String.format(" %s %.1f", v, n * flop / (System.nanoTime() - t0)));
            }
            System.out.println(sb + " GFLOP/s");
        }
    }

    static void run(String v, MemorySegment xT, int tp, int in, MemorySegment seg, DType d, int rows, float[] wbuf, float[] yT) {
        switch (v) {
            case "v0" -> v0(xT, tp, in, seg, d, 0, rows, wbuf, yT, true);
            case "v0e" -> { UNROLL = true; v0(xT, tp, in, seg, d, 0, rows, wbuf, yT, true); UNROLL = false; }
            case "v0nw" -> { SMALLY = false; v0(xT, tp, in, seg, d, 0, rows, wbuf, yT, false); }
            case "v0nwy" -> { SMALLY = true; v0(xT, tp, in, seg, d, 0, rows, wbuf, yT, false); SMALLY = false; }
            case "v2" -> v2(xT, tp, in, seg, d, 0, rows, wbuf, yT, true);
            case "v2nw" -> v2(xT, tp, in, seg, d, 0, rows, wbuf, yT, false);
            default -> throw new IllegalArgumentException(v);
        }
    }
}
