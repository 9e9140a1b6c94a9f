package dev.drllm.cuda;

import dev.drllm.model.Model;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.synthetic.RandomCheckpoint;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code drllm bench --device cuda}: prefill time, graph decode tokens/s for both ways of following
 * the path (SWITCH conditional nodes vs enabling passes), router overhead and the HBM roofline:
 * executed weight bytes per decode step ÷ the copy bandwidth measured on the same GPU.
 */
public final class CudaBench {
    public record Options(String shape, Path dir, int batch, int prompt, int newTokens, String path, int skip, Path routers,
                          boolean randomRouters, long seed) {}

    private CudaBench() {}

    /** Copy bandwidth in bytes/s, counting bytes read plus bytes written (as the roofline reads weights once). */
    static double copyBandwidth(CudaContext cu) {
        long n = 1L << 31;
        long a = cu.alloc(n), b = cu.alloc(n);
        try {
            cu.copy(b, a, n);
            cu.sync();
            int reps = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) cu.copy(b, a, n);
            cu.sync();
            double s = (System.nanoTime() - t0) / 1e9;
            return 2.0 * n * reps / s;
        } finally {
            cu.free(a);
            cu.free(b);
        }
    }

    /** A path that skips {@code skip} layers spread over the middle of the stack (never the first two or the last). */
    static LayerPath skipping(int L, int skip) {
        if (skip < 0 || skip > L - 3) throw new IllegalArgumentException("cannot skip " + skip + " of " + L + " layers");
        int[] counts = new int[L];
        java.util.Arrays.fill(counts, 1);
        for (int i = 0; i < skip; i++) counts[2 + (int) ((long) i * (L - 3) / Math.max(1, skip))] = 0;
        return LayerPath.fromCounts(counts);
    }

    static Routers randomRouters(int L, int H, long seed) {
        Random r = new Random(seed);
        List<Router> list = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            float a1 = (float) Math.sqrt(6.0 / (H + 128)), a2 = (float) Math.sqrt(6.0 / (128 + 3));
            float[] w1 = new float[128 * H], w2 = new float[3 * 128];
            for (int i = 0; i < w1.length; i++) w1[i] = (r.nextFloat() * 2 - 1) * a1;
            for (int i = 0; i < w2.length; i++) w2[i] = (r.nextFloat() * 2 - 1) * a2;
            // bias towards "execute" like trained routers (labels are ~95% execute, DESIGN.md section 1)
            list.add(new Router(H, 128, w1, new float[128], w2, new float[]{0f, 4f, 0f}));
        }
        return new Routers(list, 8);
    }

    static long layerBytes(dev.drllm.model.ModelConfig c) {
        long H = c.hiddenSize();
        return 2L * (H * (c.qDim() + 2L * c.kvDim()) + (long) c.qDim() * H + 3L * H * c.intermediateSize());
    }

    public static Map<String, Object> run(Options o, PrintStream out) throws Exception {
        BenchShapes.Shape shape = BenchShapes.get(o.shape());
        long tw = System.nanoTime();
        boolean wrote = RandomCheckpoint.write(shape, o.dir(), o.seed());
        out.printf("checkpoint %s (%s, %.2fB parameters) %s in %.1f s%n", o.dir(), shape.name(), shape.parameters() / 1e9,
                wrote ? "written" : "reused", (System.nanoTime() - tw) / 1e9);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("shape", shape.name());
        res.put("batch", o.batch());
        res.put("prompt", o.prompt());
        res.put("new", o.newTokens());
        try (Model m = Model.load(o.dir()); CudaBackend be = new CudaBackend(m)) {
            var c = m.config();
            int L = c.numLayers();
            CudaContext cu = be.context();
            double bw = copyBandwidth(cu);
            res.put("gpu", cu.deviceName());
            res.put("copy_bandwidth_GBps", bw / 1e9);
            out.printf("GPU %s (cc %s, %d SMs); copy bandwidth %.0f GB/s (read + write)%n", cu.deviceName(), cu.computeCapability(),
                    cu.multiprocessors(), bw / 1e9);
            Random r = new Random(o.seed());
            int[][] prompts = new int[o.batch()][o.prompt()];
            for (int[] p : prompts) for (int i = 0; i < p.length; i++) p[i] = 2 + r.nextInt(c.vocabSize() - 2);
            int bucket = (o.prompt() + o.newTokens() + 255) / 256 * 256;
            Routers routers = o.routers() != null ? Routers.load(o.routers(), c) : o.randomRouters() ? randomRouters(L, c.hiddenSize(), o.seed()) : null;
            LayerPath full = LayerPath.full(L);
            LayerPath other = o.path() != null ? LayerPath.parse(L, o.path()) : o.skip() > 0 ? skipping(L, o.skip()) : null;
            long lmBytes = 2L * c.vocabSize() * c.hiddenSize();
            List<Map<String, Object>> rows = new ArrayList<>();
            List<String> profileLine = new ArrayList<>();
            out.println("| path | mode | layers run | prefill ms | routing ms | decode tok/s | step ms | roofline ms | roofline % |");
            out.println("|---|---|---|---|---|---|---|---|---|");
            for (String which : new String[]{"full", "path", "routed"}) {
                LayerPath fixed = which.equals("full") ? full : which.equals("path") ? other : null;
                if (which.equals("path") && other == null) continue;
                if (which.equals("routed") && routers == null) continue;
                for (CudaDecoder.Mode mode : CudaDecoder.Mode.values()) {
                    try (CudaDecoder d = new CudaDecoder(be, o.batch(), bucket, o.newTokens(), mode)) {
                        LayerPath[] paths = new LayerPath[o.batch()];
                        java.util.Arrays.fill(paths, fixed);
                        d.generate(prompts, paths, routers, Set.of());  // warm-up (graph upload, cuBLAS heuristics)
                        CudaDecoder.Output g = d.generate(prompts, paths, routers, Set.of());
                        int steps = Math.min(64, o.newTokens() - 1);
                        int[] pos = new int[o.batch()];
                        java.util.Arrays.fill(pos, o.prompt());
                        d.rewind(pos);
                        double stepMs = steps > 0 ? d.timeSteps(steps) : Double.NaN;
                        long passes = 0;
                        for (int l = 0; l < L; l++) {
                            int mx = 0;
                            for (int[] pc : g.pathCounts()) mx = Math.max(mx, pc[l]);
                            passes += mx;
                        }
                        double bytes = passes * (double) layerBytes(c) + lmBytes;
                        double rooflineMs = bytes / bw * 1e3;  // every executed weight byte read once at the measured copy rate
                        double tokS = o.batch() * g.steps() / (g.decodeMs() / 1e3);
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("path", which);
                        row.put("mode", mode.name().toLowerCase());
                        row.put("layers_run", passes);
                        row.put("prefill_ms", g.prefillMs());
                        row.put("routing_ms", g.routingMs());
                        row.put("decode_tok_s", tokS);
                        row.put("step_ms", stepMs);
                        row.put("roofline_ms", rooflineMs);
                        row.put("roofline_fraction", rooflineMs / stepMs);
                        if (which.equals("full") && mode == CudaDecoder.Mode.ENABLE) {
                            Map<String, Double> prof = d.profile(50);
                            row.put("profile_us", prof);
                            StringBuilder sb = new StringBuilder("  per-kernel (eager launches, us):");
                            prof.forEach((kk, v) -> sb.append(String.format(" %s %.1f;", kk, v)));
                            profileLine.add(sb.toString());
                        }
                        rows.add(row);
                        out.printf("| %s | %s | %d | %.2f | %.2f | %.1f | %.3f | %.3f | %.0f%% |%n", which, mode.name().toLowerCase(), passes,
                                g.prefillMs(), g.routingMs(), tokS, stepMs, rooflineMs, 100 * rooflineMs / stepMs);
                    }
                }
            }
            res.put("rows", rows);
            profileLine.forEach(out::println);
            if (routers != null) {
                // router overhead at prefill: routed prefill minus the same path run fixed
                out.println("router overhead at prefill = routed prefill ms - fixed prefill ms of the routed path (see rows); decode: none (decided once)");
            }
        }
        out.println("BENCH_JSON " + Json.MAPPER.writeValueAsString(res));
        return res;
    }
}
