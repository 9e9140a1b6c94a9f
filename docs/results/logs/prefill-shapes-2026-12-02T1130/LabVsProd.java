package dev.drllm.cpu;

import dev.drllm.model.*;
import dev.drllm.quant.BlockCodec;
import java.lang.foreign.*;
import java.util.*;

/** GemmLab's pk loop against CpuKernels.gemmTVec on GemmLab's matrix (8190 x 2048, Arena), one thread, call by call: LabVsProd DTYPE N */
public class LabVsProd {
    /** 12 independent FMA chains on the preferred species for ~40 ms, accumulator as the addend as in ComputeBench: GFLOP/s. */
    static double fmaProbe() {
        var F = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        var m = jdk.incubator.vector.FloatVector.broadcast(F, 0.999f);
        var c = jdk.incubator.vector.FloatVector.broadcast(F, 0.001f);
        var a0 = c; var a1 = c; var a2 = c; var a3 = c; var a4 = c; var a5 = c; var a6 = c; var a7 = c; var a8 = c; var a9 = c; var a10 = c; var a11 = c;
        long t0 = System.nanoTime(); long it = 0;
        while (System.nanoTime() - t0 < 40_000_000L) {
            for (int i = 0; i < 10_000; i++) {
                a0 = m.fma(c, a0); a1 = m.fma(c, a1); a2 = m.fma(c, a2); a3 = m.fma(c, a3); a4 = m.fma(c, a4); a5 = m.fma(c, a5);
                a6 = m.fma(c, a6); a7 = m.fma(c, a7); a8 = m.fma(c, a8); a9 = m.fma(c, a9); a10 = m.fma(c, a10); a11 = m.fma(c, a11);
            }
            it += 10_000;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        sink += a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        return it * 12.0 * F.length() * 2 / s / 1e9;
    }
    static double sink;

    public static void main(String[] a) {
        DType d = DType.valueOf(a[0]);
        int n = Integer.parseInt(a[1]);
        int ROWS = GemmLab.ROWS, COLS = GemmLab.COLS, TOK = 128, TT = CpuKernels.TT;
        Arena arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        long rb = d.bytesOf(COLS);
        MemorySegment seg = arena.allocate(rb * ROWS, 64);
        float[] row = new float[COLS];
        for (int r = 0; r < ROWS; r++) { for (int i = 0; i < COLS; i++) row[i] = (float) (rnd.nextDouble() - 0.5); BlockCodec.of(d).quantize(row, 0, COLS / d.blockSize(), seg, r * rb); }
        float[] x = new float[TOK * COLS];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
        MemorySegment xP = arena.allocate((long) COLS * TOK * 4, 64);
        CpuKernels.transpose(x, TOK, COLS, xP, TOK);
        Tensor w = new Tensor(null, "w", d, new long[] {ROWS, COLS}, seg);
        float[] wbuf = new float[Math.max(CpuKernels.WBUF, 6 * GemmLab.G * GemmLab.KT2 + 64)], yT = new float[ROWS * TOK], y = new float[ROWS * TOK];
        double flop = 2.0 * ROWS * COLS * TOK; // (variant 5 does twice this work: its GFLOP/s read half)
        String[] vs = {"lab-pk", "prod-gemmTVec", "prod-on-model-gate0", "prod-model-x", "prod-gate0-8192rows", "prod-gate0+up0-8192rows"};
        Model m;
        try { m = Model.load(java.nio.file.Path.of(a[2])); } catch (Exception e) { throw new RuntimeException(e); }
        Tensor g0 = m.weights().layers().get(0).wGate(), u0 = m.weights().layers().get(0).wUp();
        float[] yT2 = new float[2 * 8192 * TOK], y2 = new float[2 * 8192 * TOK];
        float[] x2 = new float[TOK * COLS];
        for (int i = 0; i < x2.length; i++) x2[i] = (float) Math.sin(i * 0.37);
        MemorySegment xP2 = arena.allocate((long) COLS * TOK * 4, 64);
        CpuKernels.transpose(x2, TOK, COLS, xP2, TOK);
        if (Boolean.getBoolean("probe")) for (int i = 0; i < 60; i++) fmaProbe(); // C2 for the probe first
        int[] sel = Arrays.stream(a[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int V = sel.length; double[][] ms = new double[V][n], probeRate = new double[V][n];
        for (int j = -3; j < n; j++) for (int v0 = 0; v0 < V; v0++) {
            int vi = (v0 + Math.max(j, 0)) % V, v = sel[vi];
            long s = System.nanoTime();
            if (v == 0) GemmLab.pk(xP, COLS, seg, d, wbuf, yT, true);
            else if (v == 1) CpuKernels.gemmTVec(xP, TOK, x, TOK, COLS, w, y, ROWS, 0, ROWS, wbuf, yT, 0);
            else if (v == 2) CpuKernels.gemmTVec(xP, TOK, x, TOK, COLS, g0, y, ROWS, 0, ROWS, wbuf, yT, 0);
            else if (v == 3) CpuKernels.gemmTVec(xP2, TOK, x2, TOK, COLS, g0, y, ROWS, 0, ROWS, wbuf, yT, 0);
            else if (v == 4) CpuKernels.gemmTVec(xP2, TOK, x2, TOK, COLS, g0, y2, 8192, 0, 8192, wbuf, yT2, 0);
            else {
                CpuKernels.gemmTVec(xP2, TOK, x2, TOK, COLS, g0, y2, 8192, 0, 8192, wbuf, yT2, 0);
                CpuKernels.gemmTVec(xP2, TOK, x2, TOK, COLS, u0, y2, 8192, 0, 8192, wbuf, yT2, 8192 * TOK);
            }
            if (j >= 0 && Boolean.getBoolean("probe")) probeRate[vi][j] = fmaProbe();
            if (j >= 0) ms[vi][j] = (System.nanoTime() - s) / 1e6;
        }
        for (int v = 0; v < V; v++) {
            double[] st = ms[v].clone(); Arrays.sort(st);
            double[] ratio = new double[n];
            for (int j = 0; j < n; j++) ratio[j] = ms[0][j] / ms[v][j];
            Arrays.sort(ratio);
            StringBuilder series = new StringBuilder();
            for (int j = 0; j < n; j++) series.append(String.format(" %.0f", flop / ms[v][j] / 1e6));
            System.out.println("  per call:" + series);
            if (Boolean.getBoolean("probe")) {
                StringBuilder ps = new StringBuilder();
                for (int j = 0; j < n; j++) ps.append(String.format(" %.0f", probeRate[v][j]));
                System.out.println("  FMA probe after each call, GFLOP/s:" + ps);
            }
            System.out.printf("%s %s: %.1f GFLOP/s (q1 %.1f, q3 %.1f), paired speed vs %s %.3f (%.3f-%.3f)%n", d, vs[sel[v]], flop / st[n / 2] / 1e6,
                    flop / st[3 * n / 4] / 1e6, flop / st[n / 4] / 1e6, vs[sel[0]], ratio[n / 2], ratio[n / 4], ratio[3 * n / 4]);
        }
        System.exit(0);
    }
}
