package dev.drllm.bench;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.cpu.CpuKernels;
import dev.drllm.cpu.CpuPool;
import dev.drllm.kernels.Kernels;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.Tensor;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * Where a 128-token prefill's time goes: times whole prefills (as {@link ModelBench#prefill}),
 * then each group of the prompt's matrix products on its own, through the backend's pool as
 * the backend's GEMM job runs them (the transpose of the activations, then the outer-product GEMM
 * {@link CpuKernels#gemmT} over the group's concatenated rows): q/k/v, o, gate/up, down, and the
 * LM head on the last token. Each GEMM group is timed at the prompt's length and at one token
 * block ({@link CpuKernels#TT} tokens): the weight tiles are widened once per call whatever the
 * token count, so the difference splits a group's time into widening (the intercept) and the
 * register tiles (the per-block slope). The remainder (prefill minus the products) is attention,
 * norms, RoPE, SiLU, embedding and dispatch. Usage: {@code PrefillProfile MODEL [seconds]} with
 * MODEL a {@link ModelBench} name or a path; threads from {@code -Ddrllm.threads}.
 */
public final class PrefillProfile {
    private PrefillProfile() {}

    public static void main(String[] args) throws InterruptedException {
        String name = args[0];
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Path p = name.contains("/") ? Path.of(name) : ModelBench.modelDir(name);
        try (Model m = Model.load(p); CpuBackend b = new CpuBackend(m)) {
            // the kernel warm-up thread competes for a core until every family has switched (~8 s here)
            Kernels.warmUp(Duration.ofSeconds(120));
            PathExecutor ex = new PathExecutor(b);
            int L = m.config().numLayers(), V = m.config().vocabSize();
            LayerPath full = LayerPath.full(L);
            int T = ModelBench.PROMPT;
            int[] prompt = new Random(11).ints(T, 3, V).toArray();
            double[] runs = new double[10_000];
            int n = 0;
            try (KvCache cache = b.newCache(L, T)) {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 4e9) { // warm-up
                    cache.truncate(0);
                    ex.forward(prompt, full, cache, true);
                }
                t0 = System.nanoTime();
                while ((System.nanoTime() - t0 < seconds * 1e9 || n < 3) && n < runs.length) {
                    cache.truncate(0);
                    long s = System.nanoTime();
                    ex.forward(prompt, full, cache, true);
                    runs[n++] = (System.nanoTime() - s) / 1e6;
                }
            }
            double[] st = Arrays.copyOf(runs, n);
            Arrays.sort(st);
            double prefill = st[n / 2];
            System.out.printf("model %s, %d threads, %d prefills of %d tokens: median %.1f ms (%.1f tok/s), p10 %.1f, p90 %.1f%n",
                    p.getFileName(), b.pool().threads(), n, T, prefill, T * 1000 / prefill, st[n / 10], st[n * 9 / 10]);

            int H = m.config().hiddenSize();
            String[] parts = {"q/k/v", "o", "gate/up", "down", "lm head"};
            System.out.printf("%-8s %8s %9s %8s %8s %9s %8s%n", "part", "ms", "GFLOP/s", "widen", "tiles", "transpose", "types");
            double total = 0;
            for (int part = 0; part < parts.length; part++) {
                Tensor[][] groups = new Tensor[part == 4 ? 1 : L][];
                for (int l = 0; l < groups.length; l++) {
                    LayerWeights w = m.weights().layers().get(l);
                    groups[l] = switch (part) {
                        case 0 -> new Tensor[] {w.wq(), w.wk(), w.wv()};
                        case 1 -> new Tensor[] {w.wo()};
                        case 2 -> new Tensor[] {w.wGate(), w.wUp()};
                        case 3 -> new Tensor[] {w.wDown()};
                        default -> new Tensor[] {m.weights().lmHead()};
                    };
                }
                int tokens = part == 4 ? 1 : T;
                if (tokens < CpuKernels.GEMM_T_MIN) {
                    // the LM head on the last token: a decode matvec
                    float[] x = new float[H];
                    for (int i = 0; i < H; i++) x[i] = (float) Math.sin(i * 0.37);
                    double ms = DecodeProfile.timeGroups(b.pool(), groups, x, seconds / 5);
                    total += ms;
                    System.out.printf("%-8s %8.2f %9.1f %8s %8s %9s %8s%n", parts[part], ms,
                            2.0 * groups[0][0].numel() / ms / 1e6, "", "", "", groups[0][0].dtype());
                    continue;
                }
                double[] full128 = timeGroups(b.pool(), groups, tokens, seconds / 5);
                double[] one = timeGroups(b.pool(), groups, CpuKernels.TT, seconds / 5);
                int blocks = CpuKernels.paddedTokens(tokens) / CpuKernels.TT;
                // gemm(blocks) = widen + blocks · tile: the intercept is the widening
                double tile = (full128[1] - one[1]) / (blocks - 1), widen = one[1] - tile;
                double ms = full128[0] + full128[1];
                long flop = 0;
                for (Tensor[] g : groups) for (Tensor t : g) flop += 2 * t.numel() * tokens;
                total += ms;
                StringBuilder types = new StringBuilder();
                for (Tensor t : groups[0]) types.append(types.isEmpty() ? "" : ",").append(t.dtype());
                System.out.printf("%-8s %8.2f %9.1f %8.2f %8.2f %9.2f %8s%n", parts[part], ms, flop / ms / 1e6,
                        widen, tile * blocks, full128[0], types);
            }
            System.out.printf("%-8s %8.2f%n", "products", total);
            System.out.printf("%-8s %8.2f  (attention, norms, RoPE, SiLU, embedding, dispatch, copy-back in the GEMMs' time)%n",
                    "rest", prefill - total);
        }
    }

    /** Median ms of [transpose, GEMM] of one pass over every group at {@code tokens} tokens, as the backend's GEMM job runs them. */
    private static double[] timeGroups(CpuPool pool, Tensor[][] groups, int tokens, double seconds) {
        int maxRows = 0, maxIn = 0;
        for (Tensor[] g : groups) {
            int r = 0;
            for (Tensor t : g) r += t.dim(0);
            maxRows = Math.max(maxRows, r);
            maxIn = Math.max(maxIn, g[0].dim(1));
        }
        int tp = CpuKernels.paddedTokens(tokens);
        float[] x = new float[tokens * maxIn];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
        float[] y = new float[tokens * maxRows];
        float[] yT = new float[maxRows * tp];
        MemorySegment xT = Arena.ofAuto().allocate((long) maxIn * tp * 4, CpuKernels.XT_ALIGN);
        float[][] wbuf = new float[pool.threads()][CpuKernels.WBUF];
        double[] tr = new double[10_000], gm = new double[10_000];
        int n = 0;
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0 < seconds * 1e9 || n < 5) && n < tr.length) {
            double a = 0, c = 0;
            for (Tensor[] g : groups) {
                int in = g[0].dim(1);
                boolean split = CpuKernels.pairSplit(g[0].dtype());
                int[] starts = new int[g.length + 1];
                for (int i = 0; i < g.length; i++) starts[i + 1] = starts[i] + g[i].dim(0);
                long s = System.nanoTime();
                pool.forRange(in, CpuKernels.PAIR, (long) in * tokens,
                        (from, to, worker) -> CpuKernels.transpose(x, tokens, in, xT, tp, split, from, to), 4);
                long s2 = System.nanoTime();
                pool.forRange(starts[g.length], CpuKernels.TILE_ROWS, (long) starts[g.length] * in * tokens, (from, to, worker) -> {
                    for (int i = 0; i < g.length; i++) {
                        int lo = Math.max(from, starts[i]), hi = Math.min(to, starts[i + 1]);
                        if (lo < hi) CpuKernels.gemmT(xT, tp, x, tokens, in, g[i], y, g[i].dim(0), lo - starts[i], hi - starts[i],
                                wbuf[worker], yT, lo * tp);
                    }
                }, CpuKernels.gemmTChunks(starts[g.length], pool.threads()));
                long s3 = System.nanoTime();
                a += (s2 - s) / 1e6;
                c += (s3 - s2) / 1e6;
            }
            tr[n] = a;
            gm[n++] = c;
        }
        double[] t1 = Arrays.copyOf(tr, n), t2 = Arrays.copyOf(gm, n);
        Arrays.sort(t1);
        Arrays.sort(t2);
        return new double[] {t1[n / 2], t2[n / 2]};
    }
}
