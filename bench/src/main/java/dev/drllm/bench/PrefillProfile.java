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
 * norms, RoPE, SiLU, embedding and dispatch. The groups are timed in interleaved rounds (each
 * group once per round), not one after another: timed ~10 s apart, the VM's minute-to-minute drift
 * (15-30% on the AVX2 Zen 3) read as a 43 against 72 GFLOP/s gap between q/k/v and gate/up on one
 * thread, which interleaved rounds do not show (docs/results/quantized.md, 2026-12-02 11:30).
 * With {@code one}, each round also runs every group on a one-thread pool, and the table gives that
 * rate and the median of the rounds' two-against-one speed ratios. Usage:
 * {@code PrefillProfile MODEL [seconds] [one]} with MODEL a {@link ModelBench} name or a path;
 * threads from {@code -Ddrllm.threads}.
 */
public final class PrefillProfile {
    private PrefillProfile() {}

    public static void main(String[] args) throws InterruptedException {
        String name = args[0];
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        boolean compareOne = args.length > 2 && args[2].equals("one");
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
            String[] parts = {"q/k/v", "o", "gate/up", "down"};
            Tensor[][][] groups = new Tensor[parts.length][L][];
            for (int part = 0; part < parts.length; part++) {
                for (int l = 0; l < L; l++) {
                    LayerWeights w = m.weights().layers().get(l);
                    groups[part][l] = switch (part) {
                        case 0 -> new Tensor[] {w.wq(), w.wk(), w.wv()};
                        case 1 -> new Tensor[] {w.wo()};
                        case 2 -> new Tensor[] {w.wGate(), w.wUp()};
                        default -> new Tensor[] {w.wDown()};
                    };
                }
            }
            // The parts are timed in rounds, each part once per round (at the prompt's length, at one
            // token block, and on one thread when asked), so a slow minute of the machine hits every
            // part alike. Timed part after part instead (~10 s each), the VM's drift showed up as
            // differences between the parts and between one thread and two (see the class comment).
            CpuPool one = compareOne ? new CpuPool(1) : null;
            Rig rig = new Rig(groups, T, b.pool().threads());
            int blocks = CpuKernels.paddedTokens(T) / CpuKernels.TT;
            double[][][] t = new double[parts.length][4][10_000]; // [part][transpose, gemm, gemm at one block, one thread][round]
            int rounds = 0;
            long start = 0;
            for (int r = -1; r < 10_000; r++) {
                if (r == 0) start = System.nanoTime();
                else if (r >= 5 && System.nanoTime() - start >= seconds * 1e9) break;
                for (int part = 0; part < parts.length; part++) {
                    double[] full128 = rig.pass(b.pool(), groups[part], T);
                    double[] oneBlock = rig.pass(b.pool(), groups[part], CpuKernels.TT);
                    double[] single = one == null ? new double[2] : rig.pass(one, groups[part], T);
                    if (r < 0) continue; // warm-up round
                    t[part][0][r] = full128[0];
                    t[part][1][r] = full128[1];
                    t[part][2][r] = oneBlock[1];
                    t[part][3][r] = single[0] + single[1];
                }
                if (r >= 0) rounds = r + 1;
            }
            System.out.printf("parts timed in %d interleaved rounds%s%n", rounds, one == null ? "" : "; \"1 thread\": the same pass on a one-thread pool in the same round, \"x\": median of the rounds' speed ratios");
            System.out.printf("%-8s %8s %9s %8s %8s %9s %8s%s%n", "part", "ms", "GFLOP/s", "widen", "tiles", "transpose", "types",
                    one == null ? "" : String.format(" %9s %6s", "1 thread", "x"));
            double total = 0;
            for (int part = 0; part < parts.length; part++) {
                double tr = median(t[part][0], rounds), gm = median(t[part][1], rounds), gm1 = median(t[part][2], rounds);
                // gemm(blocks) = widen + blocks · tile: the intercept is the widening
                double tile = (gm - gm1) / (blocks - 1), widen = gm1 - tile;
                double ms = tr + gm;
                long flop = 0;
                for (Tensor[] g : groups[part]) for (Tensor x : g) flop += 2 * x.numel() * T;
                total += ms;
                StringBuilder types = new StringBuilder();
                for (Tensor x : groups[part][0]) types.append(types.isEmpty() ? "" : ",").append(x.dtype());
                String cmp = "";
                if (one != null) {
                    double[] ratio = new double[rounds];
                    for (int i = 0; i < rounds; i++) ratio[i] = t[part][3][i] / (t[part][0][i] + t[part][1][i]);
                    cmp = String.format(" %9.1f %6.2f", flop / median(t[part][3], rounds) / 1e6, median(ratio, rounds));
                }
                System.out.printf("%-8s %8.2f %9.1f %8.2f %8.2f %9.2f %8s%s%n", parts[part], ms, flop / ms / 1e6,
                        widen, tile * blocks, tr, types, cmp);
            }
            // the LM head on the last token: a decode matvec
            Tensor[][] head = {{m.weights().lmHead()}};
            float[] x = new float[H];
            for (int i = 0; i < H; i++) x[i] = (float) Math.sin(i * 0.37);
            double ms = DecodeProfile.timeGroups(b.pool(), head, x, seconds / 5);
            total += ms;
            System.out.printf("%-8s %8.2f %9.1f %8s %8s %9s %8s%n", "lm head", ms, 2.0 * head[0][0].numel() / ms / 1e6, "", "", "", head[0][0].dtype());
            System.out.printf("%-8s %8.2f%n", "products", total);
            System.out.printf("%-8s %8.2f  (attention, norms, RoPE, SiLU, embedding, dispatch, copy-back in the GEMMs' time)%n",
                    "rest", prefill - total);
            if (one != null) one.close();
        }
    }

    private static double median(double[] v, int n) {
        double[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        return s[n / 2];
    }

    /** Activations and scratch for the largest group; {@link #pass} runs one group list as the backend's GEMM job runs it. */
    private static final class Rig {
        final float[] x, y, yT;
        final MemorySegment xT;
        final float[][] wbuf;

        Rig(Tensor[][][] parts, int tokens, int threads) {
            wbuf = new float[threads][CpuKernels.WBUF];
            int maxRows = 0, maxIn = 0;
            for (Tensor[][] groups : parts) for (Tensor[] g : groups) {
                int r = 0;
                for (Tensor t : g) r += t.dim(0);
                maxRows = Math.max(maxRows, r);
                maxIn = Math.max(maxIn, g[0].dim(1));
            }
            int tp = CpuKernels.paddedTokens(tokens);
            x = new float[tokens * maxIn];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
            y = new float[tokens * maxRows];
            yT = new float[maxRows * tp];
            xT = Arena.ofAuto().allocate((long) maxIn * tp * 4, CpuKernels.XT_ALIGN);
        }

        /** ms of [transposes, GEMMs] of one pass over every group at {@code tokens} tokens. */
        double[] pass(CpuPool pool, Tensor[][] groups, int tokens) {
            int tp = CpuKernels.paddedTokens(tokens);
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
            return new double[] {a, c};
        }
    }
}
