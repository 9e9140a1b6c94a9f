package dev.drllm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drllm.model.DType;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.Tensor;
import dev.drllm.runtime.LayerPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the benchmark table from JMH's JSON and the llama.cpp run: matvec GB/s and GFLOP/s per
 * dtype, the measured read bandwidth and f32 FMA rate ({@link ComputeBench}: the compute ceiling of
 * the prefill GEMMs, and whether the two threads had a core each), prefill / decode tokens/s, and
 * decode as a fraction of the memory roofline.
 *
 * <p><b>Roofline.</b> A decode step must read every weight of the executed layers once, the LM
 * head (for tied embeddings the 525 MB embedding matrix, 21% of the 1B model's bytes and the
 * same for every path), one embedding row and the KV cache of every executed slot at the
 * benchmark's mean context (f32 keys and values). Bytes ÷ measured 2-thread read bandwidth =
 * the fastest possible step. A routed path saves only its layers' bytes, so its expected speed-up
 * is the byte ratio, below the layer ratio.
 *
 * <p>Usage: {@code Summary RESULTS_DIR ROOT} (writes RESULTS_DIR/summary.md as well).
 */
public final class Summary {
    record Row(String what, String value, String note) {}

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
        Path root = Path.of(args.length > 1 ? args[1] : ".");
        System.setProperty("drllm.root", root.toString());
        ObjectMapper om = new ObjectMapper();
        List<JsonNode> jmh = new ArrayList<>();
        try (var files = Files.list(results)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("jmh-") && f.toString().endsWith(".json")).sorted().toList()) {
                jmh.addAll(jsonList(om, p));
            }
        }
        List<Row> rows = new ArrayList<>();

        double bw1 = score(jmh, "MemoryBandwidthBench.read", "threads", "1") * MemoryBandwidthBench.BYTES / 1e9;
        double bw2 = score(jmh, "MemoryBandwidthBench.read", "threads", "2") * MemoryBandwidthBench.BYTES / 1e9;
        rows.add(new Row("read bandwidth, 1 thread", f(bw1, 1) + " GB/s", "MemoryBandwidthBench, 2 GiB buffer"));
        rows.add(new Row("read bandwidth, 2 threads", f(bw2, 1) + " GB/s", "roofline basis"));
        double fl1 = score(jmh, "ComputeBench.fma", "threads", "1") * ComputeBench.flops() / 1e9;
        double fl2 = score(jmh, "ComputeBench.fma", "threads", "2") * ComputeBench.flops() / 1e9;
        if (!Double.isNaN(fl1)) rows.add(new Row("f32 FMA, 1 thread", f(fl1, 1) + " GFLOP/s", "ComputeBench: 12 FMA chains on the widest vectors"));
        if (!Double.isNaN(fl2)) rows.add(new Row("f32 FMA, 2 threads", f(fl2, 1) + " GFLOP/s", "compute ceiling; " + cores(fl2 / fl1)));
        Path end = results.resolve("compute-end.json");
        if (Files.isRegularFile(end)) {
            double fe = score(jsonList(om, end), "ComputeBench.fma", "threads", "2") * ComputeBench.flops() / 1e9;
            rows.add(new Row("f32 FMA, 2 threads, end of the run", f(fe, 1) + " GFLOP/s", cores(fe / fl1)));
        }
        for (String d : new String[]{"BF16", "F16", "F32", "Q8_0", "Q4_0", "Q4_K", "Q6_K"}) {
            double ops = score(jmh, "MatvecBench.matmul", "dtype", d, "tokens", "1");
            if (Double.isNaN(ops)) continue;
            double gbs = ops * MatvecBench.bytes(DType.valueOf(d)) / 1e9;
            double gf = ops * 2.0 * MatvecBench.ROWS * MatvecBench.COLS / 1e9;
            rows.add(new Row("matvec " + d + " 8192×2048, 1 token", f(gbs, 1) + " GB/s, " + f(gf, 1) + " GFLOP/s", pct(gbs / bw2) + " of read bandwidth"));
        }
        for (String d : new String[]{"BF16", "F16", "F32", "Q8_0", "Q4_0", "Q4_K", "Q6_K"}) {
            double ops = score(jmh, "MatvecBench.matmul", "dtype", d, "tokens", "128");
            if (Double.isNaN(ops)) continue;
            double gf = ops * 2.0 * MatvecBench.ROWS * MatvecBench.COLS * 128 / 1e9;
            rows.add(new Row("GEMM " + d + " 8192×2048, 128 tokens", f(gf, 1) + " GFLOP/s", "prefill kernel; " + pct(gf / fl2) + " of the 2-thread f32 FMA rate"));
        }
        java.util.Map<String, double[]> ours = new java.util.LinkedHashMap<>();
        for (String model : new String[]{"tiny", "1b", "1b-q8_0", "1b-q4_k_m"}) {
            Path dir = ModelBench.modelDir(model);
            if (!Files.exists(dir)) continue;
            try (Model m = Model.load(dir)) {
                int L = m.config().numLayers();
                double bytesFull = bytesPerToken(m, ModelBench.path("full", L), ModelBench.PROMPT + ModelBench.DECODE_SPAN / 2);
                double bytesHalf = bytesPerToken(m, ModelBench.path("half", L), ModelBench.PROMPT + ModelBench.DECODE_SPAN / 2);
                double df = score(jmh, "ModelBench.decode", "model", model, "path", "full");
                double dh = score(jmh, "ModelBench.decode", "model", model, "path", "half");
                double pf = score(jmh, "ModelBench.prefill", "model", model, "path", "full") * ModelBench.PROMPT;
                double ph = score(jmh, "ModelBench.prefill", "model", model, "path", "half") * ModelBench.PROMPT;
                if (Double.isNaN(df) && Double.isNaN(pf)) continue; // not benchmarked in this run
                double roof = bw2 * 1e9 / bytesFull;
                rows.add(new Row(model + " decode, full path (" + L + " layers)", f(df, 2) + " tok/s",
                        f(bytesFull / 1e6, 1) + " MB/token; roofline " + f(roof, 1) + " tok/s; " + pct(df / roof) + " of roofline"));
                rows.add(new Row(model + " decode, routed path (" + L / 2 + " layers)", f(dh, 2) + " tok/s",
                        "speed-up " + f(dh / df, 2) + "× (bytes ratio " + f(bytesFull / bytesHalf, 2) + "×, layer ratio 2.00×); "
                                + pct(dh / (bw2 * 1e9 / bytesHalf)) + " of its roofline"));
                double gemm = pf * matmulFlopsPerToken(m, ModelBench.path("full", L)) / 1e9;
                rows.add(new Row(model + " prefill 128 tokens, full path", f(pf, 1) + " tok/s",
                        "batched GEMM: " + f(gemm, 1) + " GFLOP/s in the layers' products, " + pct(gemm / fl2) + " of the 2-thread f32 FMA rate"));
                rows.add(new Row(model + " prefill 128 tokens, routed path", f(ph, 1) + " tok/s", "speed-up " + f(ph / pf, 2) + "×"));
                double route = score(jmh, "ModelBench.route", "model", model, "path", "full");
                if (!Double.isNaN(route)) {
                    double ms = 1e3 / route, prefillMs = 1e3 * ModelBench.PROMPT / pf;
                    rows.add(new Row(model + " routing, all " + L + " routers at prefill", f(ms, 3) + " ms",
                            pct(ms / prefillMs) + " of the 128-token prefill (pooling W=8 + MLP R=128)"));
                }
                ours.put(model, new double[]{df, pf, roof});
            }
        }
        // llama.cpp on the same files: duel-*.json (Duel: both engines in alternating rounds, run.sh since 2026-12-02), else the
        // one-shot runs of older results folders (llamacpp.json for the BF16 twin, llamacpp-q8_0.json, llamacpp-q4_k_m.json)
        for (String[] p : new String[][]{{"1b", "bf16", "llamacpp.json", "1B twin (BF16)"}, {"1b-q8_0", "q8_0", "llamacpp-q8_0.json", "1B Q8_0 (same file)"},
                {"1b-q4_k_m", "q4_k_m", "llamacpp-q4_k_m.json", "1B Q4_K_M (same file)"}}) {
            Path duelFile = results.resolve("duel-" + p[1] + ".json"), oneShot = results.resolve(p[2]);
            JsonNode duel = Files.isRegularFile(duelFile) ? om.readTree(duelFile.toFile()) : null;
            if (duel == null && !Files.isRegularFile(oneShot)) continue;
            double pd, pp;
            if (duel != null) {
                pd = duel.path("decode").path("llamacppMedian").asDouble(Double.NaN);
                pp = duel.path("prefill").path("llamacppMedian").asDouble(Double.NaN);
            } else {
                JsonNode pj = om.readTree(oneShot.toFile());
                pd = pj.path("decodeTokPerS").asDouble(Double.NaN);
                pp = pj.path("prefillTokPerS").asDouble(Double.NaN);
            }
            double[] o = ours.getOrDefault(p[0], new double[]{Double.NaN, Double.NaN, Double.NaN});
            rows.add(new Row("llama.cpp decode, " + p[3], f(pd, 2) + " tok/s", pct(pd / o[2]) + " of roofline; drllm (JMH) / llama.cpp = " + f(o[0] / pd, 2) + "×"));
            rows.add(new Row("llama.cpp prefill 128 tokens, " + p[3], f(pp, 1) + " tok/s", "drllm (JMH) / llama.cpp = " + f(o[1] / pp, 2) + "×"));
            if (duel == null) continue;
            int rounds = duel.path("rounds").asInt();
            for (String part : new String[]{"decode", "prefill"}) {
                JsonNode d = duel.path(part);
                double ours1 = d.path("drllmMedian").asDouble(Double.NaN), peer = d.path("llamacppMedian").asDouble(Double.NaN);
                String roofNote = part.equals("decode") ? "; drllm " + pct(ours1 / o[2]) + ", llama.cpp " + pct(peer / o[2]) + " of roofline" : "";
                rows.add(new Row("side by side, " + part + ", " + p[3] + ", " + rounds + " alternating rounds",
                        "drllm / llama.cpp = " + f(d.path("ratioMedian").asDouble(Double.NaN), 2) + "×",
                        "per-round ratio, quartiles " + f(d.path("ratioQ1").asDouble(Double.NaN), 2) + "–" + f(d.path("ratioQ3").asDouble(Double.NaN), 2)
                                + "×; medians drllm " + f(ours1, 2) + ", llama.cpp " + f(peer, 2) + " tok/s" + roofNote));
            }
        }

        StringBuilder out = new StringBuilder();
        out.append("| measurement | result | note |\n|---|---|---|\n");
        for (Row r : rows) out.append("| ").append(r.what()).append(" | ").append(r.value()).append(" | ").append(r.note()).append(" |\n");
        System.out.print(out);
        Files.writeString(results.resolve("summary.md"), out);
    }

    /**
     * What the 2-thread FMA rate over the 1-thread one says: about 2× when each thread has a core,
     * about 1× when the two share one core's vector units (SMT siblings, or a host that schedules a
     * 2-vCPU VM's vCPUs on one core), in between when that changed during the measurement.
     */
    static String cores(double ratio) {
        if (Double.isNaN(ratio)) return "–";
        String r = f(ratio, 2) + "× the 1-thread rate: ";
        if (ratio >= 1.7) return r + "a core per thread";
        if (ratio <= 1.3) return r + "the threads shared one core's vector units";
        return r + "the threads shared a core part of the time";
    }

    static List<JsonNode> jsonList(ObjectMapper om, Path p) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        for (JsonNode n : om.readTree(p.toFile())) l.add(n);
        return l;
    }

    /** Bytes a decode step reads along {@code path} at context {@code ctx} (see the class comment). */
    public static double bytesPerToken(Model m, LayerPath path, int ctx) {
        ModelConfig c = m.config();
        double bytes = 0;
        for (int s = 0; s < path.length(); s++) {
            for (Tensor t : matrices(m.weights().layers().get(path.layer(s)))) bytes += t.dtype().bytesOf(t.numel());
            bytes += 2.0 * ctx * c.kvDim() * 4;
        }
        Tensor head = m.weights().lmHead();
        bytes += head.dtype().bytesOf(head.numel());
        bytes += m.weights().embedTokens().dtype().bytesOf(c.hiddenSize());
        return bytes;
    }

    /** A layer's seven weight matrices (attention q, k, v, o; MLP gate, up, down). */
    static Tensor[] matrices(LayerWeights w) {
        return new Tensor[]{w.wq(), w.wk(), w.wv(), w.wo(), w.wGate(), w.wUp(), w.wDown()};
    }

    /** Floating-point operations of the layers' matrix products per prompt token along {@code path} (2 per weight; the LM head runs for the last token only). */
    public static double matmulFlopsPerToken(Model m, LayerPath path) {
        double flops = 0;
        for (int s = 0; s < path.length(); s++) {
            for (Tensor t : matrices(m.weights().layers().get(path.layer(s)))) flops += 2.0 * t.numel();
        }
        return flops;
    }

    /** The score of the benchmark whose name ends with {@code name} and whose params match; NaN when absent. */
    static double score(List<JsonNode> jmh, String name, String... params) {
        outer:
        for (JsonNode n : jmh) {
            if (!n.path("benchmark").asText().endsWith(name)) continue;
            for (int i = 0; i < params.length; i += 2) {
                if (!n.path("params").path(params[i]).asText().equals(params[i + 1])) continue outer;
            }
            return n.path("primaryMetric").path("score").asDouble();
        }
        return Double.NaN;
    }

    static String f(double v, int digits) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v < 0.1 ? "%.1f%%" : "%.0f%%", 100 * v);
    }
}
