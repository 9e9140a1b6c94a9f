package dev.drllm.bench;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.cpu.CpuKernels;
import dev.drllm.cpu.CpuPool;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.Tensor;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;

/**
 * Where a decode step's time goes: times whole decode steps after a 128-token prompt (as
 * {@link ModelBench#decode}), then each group of matrix products of the step on its own, through
 * the backend's pool as a step dispatches them (q/k/v in one loop, o, gate/up in one loop, down,
 * the LM head), and reports milliseconds per token per part and the bytes each part reads.
 * The remainder (step minus the products) is attention, norms, RoPE, embedding and dispatch
 * between loops. A part whose layers differ in matrix types gets one row per type. Usage:
 * {@code DecodeProfile MODEL [seconds] [steps]} (steps: the decode steps only) with MODEL a
 * {@link ModelBench} name or a path; threads from {@code -Ddrllm.threads}.
 */
public final class DecodeProfile {
    private DecodeProfile() {}

    public static void main(String[] args) {
        String name = args[0];
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Path p = name.contains("/") ? Path.of(name) : ModelBench.modelDir(name);
        try (Model m = Model.load(p); CpuBackend b = new CpuBackend(m)) {
            PathExecutor ex = new PathExecutor(b);
            int L = m.config().numLayers(), V = m.config().vocabSize();
            LayerPath full = LayerPath.full(L);
            int[] prompt = new Random(11).ints(ModelBench.PROMPT, 3, V).toArray();
            float[] out = new float[V];
            try (KvCache cache = b.newCache(L, ModelBench.PROMPT + ModelBench.DECODE_SPAN)) {
                ex.forward(prompt, full, cache, true);
                int token = prompt[prompt.length - 1];
                // warm-up: until the kernels are compiled (steps stop getting faster), at least 3 s
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 3e9) {
                    if (cache.length() >= ModelBench.PROMPT + ModelBench.DECODE_SPAN) cache.truncate(ModelBench.PROMPT);
                    ex.step(token, full, cache, out, null);
                    token = (token * 31 + 7) % V;
                }
                double[] steps = new double[100_000];
                int n = 0;
                t0 = System.nanoTime();
                while (System.nanoTime() - t0 < seconds * 1e9 && n < steps.length) {
                    if (cache.length() >= ModelBench.PROMPT + ModelBench.DECODE_SPAN) cache.truncate(ModelBench.PROMPT);
                    long s = System.nanoTime();
                    ex.step(token, full, cache, out, null);
                    steps[n++] = (System.nanoTime() - s) / 1e6;
                    token = (token * 31 + 7) % V;
                }
                double[] st = Arrays.copyOf(steps, n);
                Arrays.sort(st);
                double step = st[n / 2];
                System.out.printf("model %s, %d threads, %d steps: median %.2f ms/token (%.2f tok/s), p10 %.2f, p90 %.2f%n",
                        p.getFileName(), b.pool().threads(), n, step, 1000 / step, st[n / 10], st[n * 9 / 10]);

                if (args.length > 2 && args[2].equals("steps")) return;
                // the step's matrix products, part by part
                int H = m.config().hiddenSize(), qd = m.config().qDim(), F = m.config().intermediateSize();
                float[] x = new float[Math.max(H, Math.max(qd, F))];
                for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
                String[] parts = {"q/k/v", "o", "gate/up", "down", "lm head"};
                double total = 0;
                long bytes = 0;
                System.out.printf("%-12s %10s %10s %8s%n", "part", "ms/token", "MB/token", "GB/s");
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
                    // layers whose matrices differ in type (llama-quantize's Q4_K_M: ffn_down Q6_K in some, Q4_K in others) get a row per type
                    Map<String, List<Tensor[]>> byType = new LinkedHashMap<>();
                    for (Tensor[] g : groups) byType.computeIfAbsent(typeOf(g), k -> new ArrayList<>()).add(g);
                    for (var e : byType.entrySet()) {
                        Tensor[][] sub = e.getValue().toArray(new Tensor[0][]);
                        double ms = timeGroups(b.pool(), sub, x, seconds / 5);
                        long by = 0;
                        for (Tensor[] g : sub) for (Tensor t : g) by += t.data().byteSize();
                        total += ms;
                        bytes += by;
                        String label = byType.size() > 1 ? parts[part] + " " + e.getKey() : parts[part];
                        System.out.printf("%-12s %10.2f %10.1f %8.1f%n", label, ms, by / 1e6, by / ms / 1e6);
                    }
                }
                System.out.printf("%-12s %10.2f %10.1f %8.1f%n", "products", total, bytes / 1e6, bytes / total / 1e6);
                System.out.printf("%-12s %10.2f%n", "rest", step - total);
            }
        }
    }

    /** The group's matrix types, e.g. "Q6_K" or "Q4_K/Q6_K" (q/k/v with a Q6_K v). */
    private static String typeOf(Tensor[] g) {
        Set<String> types = new LinkedHashSet<>();
        for (Tensor t : g) types.add(t.dtype().name());
        return String.join("/", types);
    }

    /** Median ms of one pass over every group (one pool loop per group, rows concatenated as the backend does). */
    static double timeGroups(CpuPool pool, Tensor[][] groups, float[] x, double seconds) {
        int maxRows = 0;
        for (Tensor[] g : groups) {
            int r = 0;
            for (Tensor t : g) r += t.dim(0);
            maxRows = Math.max(maxRows, r);
        }
        float[] y = new float[maxRows];
        float[][] wbuf = new float[pool.threads()][CpuKernels.WBUF];
        double[] times = new double[10_000];
        int n = 0;
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0 < seconds * 1e9 || n < 5) && n < times.length) {
            long s = System.nanoTime();
            for (Tensor[] g : groups) {
                // a new input per group, as each of a step's loops has: kernels that lay out their
                // activation once per input (Q4_K, Q6_K) then pay for it here as they do in a step
                x[0] = Math.nextUp(x[0]);
                int in = g[0].dim(1);
                int[] starts = new int[g.length + 1];
                for (int i = 0; i < g.length; i++) starts[i + 1] = starts[i] + g[i].dim(0);
                pool.forRange(starts[g.length], 4, (long) starts[g.length] * in, (from, to, worker) -> {
                    for (int i = 0; i < g.length; i++) {
                        int a = Math.max(from, starts[i]), c = Math.min(to, starts[i + 1]);
                        if (a < c) CpuKernels.matmul(x, x, 1, in, g[i], y, 0, a - starts[i], c - starts[i], wbuf[worker]);
                    }
                });
            }
            times[n++] = (System.nanoTime() - s) / 1e6;
        }
        double[] t = Arrays.copyOf(times, n);
        Arrays.sort(t);
        return t[n / 2];
    }
}
