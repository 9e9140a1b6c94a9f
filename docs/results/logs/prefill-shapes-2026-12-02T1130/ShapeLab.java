package dev.drllm.cpu;

import dev.drllm.model.*;
import java.lang.foreign.*;
import java.nio.file.Path;
import java.util.*;

/**
 * The prefill GEMM on the 1B's real shapes, all 16 layers (weights from DRAM as in a prefill), as
 * MatmulJob runs them (transpose, then gemmT over the group's concatenated rows), with the rows cut
 * in chunks of a given size: ShapeLab MODEL THREADS ROUNDS SECONDS variant...
 * variant: prod (MatmulJob's split: one chunk on 1 thread, gemmTChunks on 2), cN (chunks of N rows,
 * handed out through the pool's counter), for each shape qkv, o, gu, down.
 */
public class ShapeLab {
    public static void main(String[] a) throws Exception {
        Model m = Model.load(Path.of(a[0]));
        int threads = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        double secs = Double.parseDouble(a[3]);
        String[] variants = Arrays.copyOfRange(a, 4, a.length);
        CpuPool[] pools = {null, new CpuPool(1), new CpuPool(2)};
        int L = m.config().numLayers(), T = 128, tp = CpuKernels.paddedTokens(T);
        String[] shapes = System.getProperty("shapes", "qkv,o,gu,down").split(",");
        int maxIn = 8192, maxRows = 16384;
        float[] x = new float[T * maxIn];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
        float[] y = new float[T * maxRows];
        float[] yT = new float[maxRows * tp];
        MemorySegment xT = Arena.ofAuto().allocate((long) maxIn * tp * 4, CpuKernels.XT_ALIGN);
        float[][] wbuf = new float[2][CpuKernels.WBUF];
        System.out.printf("variants as weights(m mmapped, a arena copy, r layer 0 x16):threads:split; %d, %s, %d passes of 16 layers per shape and variant, interleaved pass by pass%n", threads, Path.of(a[0]).getFileName(), rounds);
        Tensor[][][] G = new Tensor[shapes.length][L][], GA = new Tensor[shapes.length][L][], GR = new Tensor[shapes.length][L][];
        Arena copies = Arena.ofShared();
        boolean wantA = String.join(" ", variants).contains("a:");
        long[] flop = new long[shapes.length];
        for (int si = 0; si < shapes.length; si++) for (int l = 0; l < L; l++) {
            LayerWeights w = m.weights().layers().get(l);
            G[si][l] = switch (shapes[si]) {
                case "qkv" -> new Tensor[] {w.wq(), w.wk(), w.wv()};
                case "o" -> new Tensor[] {w.wo()};
                case "gu" -> new Tensor[] {w.wGate(), w.wUp()};
                default -> new Tensor[] {w.wDown()};
            };
            for (Tensor t : G[si][l]) flop[si] += 2 * t.numel() * T;
            GA[si][l] = new Tensor[G[si][l].length];
            for (int i = 0; i < G[si][l].length; i++) {
                Tensor t = G[si][l][i];
                MemorySegment c = wantA ? copies.allocate(t.data().byteSize(), 4096).copyFrom(t.data()) : t.data();
                GA[si][l][i] = new Tensor(t.file(), t.name(), t.dtype(), t.shape(), c);
            }
            GR[si][l] = G[si][0];
        }
        int V = variants.length;
        double[][][] ms = new double[shapes.length][V][rounds];
        for (int r = -2; r < rounds; r++) {
            for (int si = 0; si < shapes.length; si++) for (int v0 = 0; v0 < V; v0++) {
                int v = (v0 + Math.max(r, 0)) % V;
                long s = System.nanoTime();
                String[] tv = variants[v].split(":");
                Tensor[][] set = tv[0].equals("a") ? GA[si] : tv[0].equals("r") ? GR[si] : G[si];
                for (Tensor[] g : set) pass(pools[Integer.parseInt(tv[1])], g, x, y, yT, xT, tp, T, wbuf, tv[2]);
                if (r >= 0) ms[si][v][r] = (System.nanoTime() - s) / 1e6;
                if (Boolean.getBoolean("series")) System.out.printf(" %s %.0f", shapes[si], flop[si] / ((System.nanoTime() - s) / 1e6) / 1e6);
            }
        }
        for (int si = 0; si < shapes.length; si++) {
            StringBuilder line = new StringBuilder(String.format("%-5s", shapes[si]));
            for (int v = 0; v < V; v++) {
                double[] st = ms[si][v].clone(); Arrays.sort(st);
                double[] ratio = new double[rounds];
                for (int j = 0; j < rounds; j++) ratio[j] = ms[si][0][j] / ms[si][v][j];
                Arrays.sort(ratio);
                line.append(String.format(" | %s %.1f GFLOP/s (q1 %.1f q3 %.1f)", variants[v], flop[si] / st[rounds / 2] / 1e6,
                        flop[si] / st[3 * rounds / 4] / 1e6, flop[si] / st[rounds / 4] / 1e6));
                if (v > 0) line.append(String.format(" x%.3f (%.3f-%.3f)", ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]));
            }
            System.out.println(line);
        }
        System.exit(0);
    }

    static double time(CpuPool pool, Tensor[][] groups, float[] x, float[] y, float[] yT, MemorySegment xT, int tp, int T,
                       float[][] wbuf, String v, double secs) {
        double[] ms = new double[10000];
        int n = 0;
        long flop = 0;
        for (Tensor[] g : groups) for (Tensor t : g) flop += 2 * t.numel() * T;
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0 < secs * 1e9 || n < 3) && n < ms.length) {
            long s = System.nanoTime();
            for (Tensor[] g : groups) pass(pool, g, x, y, yT, xT, tp, T, wbuf, v);
            ms[n++] = (System.nanoTime() - s) / 1e6;
        }
        double[] st = Arrays.copyOf(ms, n);
        Arrays.sort(st);
        return flop / st[n / 2] / 1e6;
    }

    static void pass(CpuPool pool, Tensor[] g, float[] x, float[] y, float[] yT, MemorySegment xT, int tp, int T, float[][] wbuf, String v) {
        int in = g[0].dim(1);
        int[] starts = new int[g.length + 1];
        for (int i = 0; i < g.length; i++) starts[i + 1] = starts[i] + g[i].dim(0);
        int rows = starts[g.length];
        pool.forRange(in, CpuKernels.PAIR, (long) in * T, (from, to, worker) -> CpuKernels.transpose(x, T, in, xT, tp, false, from, to), 4);
        CpuPool.RangeBody body = (from, to, worker) -> {
            for (int i = 0; i < g.length; i++) {
                int lo = Math.max(from, starts[i]), hi = Math.min(to, starts[i + 1]);
                if (lo < hi) CpuKernels.gemmTVec(xT, tp, x, T, in, g[i], y, g[i].dim(0), lo - starts[i], hi - starts[i], wbuf[worker], yT, lo * tp);
            }
        };
        if (v.equals("prod")) {
            pool.forRange(rows, CpuKernels.TILE_ROWS, (long) rows * in * T, body, CpuKernels.gemmTChunks(rows, pool.threads()));
        } else {
            int c = Integer.parseInt(v.substring(1));
            if (pool.threads() == 1) for (int f = 0; f < rows; f += c) body.run(f, Math.min(rows, f + c), 0);
            else pool.forRange(rows, c, (long) rows * in * T, body, 1 << 20);
        }
    }
}
