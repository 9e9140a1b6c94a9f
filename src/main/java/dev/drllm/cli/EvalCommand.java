package dev.drllm.cli;

import dev.drllm.eval.EvalReport;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Plots;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.eval.RunSummary;
import dev.drllm.eval.StaticSkip;
import dev.drllm.eval.Task;
import dev.drllm.model.Model;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.routing.RoutingPolicy;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code drllm eval}: baseline (every layer once), routed, and a static skip-N baseline side by
 * side on one task file; writes a Markdown table, a JSON file and PNG plots.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate baseline, routed and static-skip paths on a task file.")
final class EvalCommand implements Callable<Integer> {
    @Mixin TaskDataOptions io;
    @Option(names = "--routers", description = "routers.safetensors (default: <model>/routers.safetensors when present)") Path routersFile;
    @Option(names = "--route-bias", paramLabel = "skip=X,repeat=Y", description = "added to the skip / repeat router logits of the routed run") String routeBias;
    @Option(names = "--skip-n", description = "static baseline: skip this many layers (default: the layers routing saves on average)") Integer skipN;
    @Option(names = "--skip-layers", description = "static baseline: skip exactly these layers, e.g. 9,12") String skipLayers;
    @Option(names = "--prompt-style", defaultValue = "base", description = "base (DESIGN.md §4 completions) or instruct (chat template)") String promptStyle;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default ${DEFAULT-VALUE})") String device;
    @Option(names = "--out-dir", defaultValue = "eval-out", description = "where the .md, .json and .png files go (default ${DEFAULT-VALUE})") Path outDir;
    @Option(names = "--json", description = "print the JSON report instead of the Markdown table") boolean json;
    @Option(names = "--quiet", description = "no progress lines on stderr") boolean quiet;

    @Override
    public Integer call() throws Exception {
        Task t = io.parsedTask();
        Prompts.Style style = switch (promptStyle.toLowerCase(Locale.ROOT)) {
            case "base" -> Prompts.Style.BASE;
            case "instruct" -> Prompts.Style.INSTRUCT;
            default -> throw new UserException("--prompt-style must be base or instruct, got '" + promptStyle + "'");
        };
        List<Question> questions = io.questions();
        Args.outputDir("--out-dir", outDir);  // the report is written after the whole evaluation
        try (Model m = Model.load(io.model); Backend b = Backends.open(m, device)) {
            Tokenizer tok = Tokenizer.load(io.model);
            Path rf = routersFile != null ? routersFile : io.model.resolve("routers.safetensors");
            if (routersFile != null && !Files.isRegularFile(routersFile)) throw new UserException("routers file " + routersFile + " does not exist");
            Routers routers = Files.isRegularFile(rf) ? Routers.load(rf, m.config()) : null;
            float[] bias = routeBias == null ? new float[2] : RoutingOptions.parseBias(routeBias);
            if (routeBias != null && routers == null) throw new UserException("--route-bias needs routers");
            checkContext(questions, tok, style, m.config().maxPositions(), io.data);
            EvalReport report = run(m, b, tok, routers, rf, bias, t, questions, style, skipN, parseLayers(skipLayers, m.config().numLayers()),
                    io.data.toString(), quiet ? null : System.err);
            String prefix = stem(io.data);
            report.write(outDir, prefix);
            writePlots(report, outDir, prefix);
            System.out.println(json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report.json()) : report.markdown());
            if (!quiet) System.err.println("wrote " + outDir.resolve(prefix + ".md") + ", .json and plots");
        }
        return 0;
    }

    /**
     * Every question must fit the context with its answer budget; found out mid-run, the one that
     * does not would end the whole evaluation without its report, so it is named before any work.
     */
    static void checkContext(List<Question> questions, Tokenizer tok, Prompts.Style style, int maxPositions, Path data) {
        for (Question q : questions) {
            int n = Evaluator.promptIds(tok, q, style).length, budget = q.task().maxNewTokens();
            if ((long) n + budget > maxPositions) {
                throw new UserException(data + ": question " + q.index() + " (id '" + q.id() + "'): prompt of " + n + " tokens + " + budget
                        + " new tokens exceeds the model's context of " + maxPositions + " positions; leave it out (or --limit before it)");
            }
        }
    }

    static int[] parseLayers(String text, int L) {
        if (text == null) return null;
        int[] ids = Args.ids(text);
        for (int l : ids) if (l < 0 || l >= L) throw new UserException("--skip-layers: layer " + l + " is outside 0.." + (L - 1));
        return ids;
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".jsonl") ? n.substring(0, n.length() - 6) : n;
    }

    /** The side-by-side evaluation shared by {@code eval} and {@code demo}. */
    static EvalReport run(Model m, Backend b, Tokenizer tok, Routers routers, Path routersPath, float[] bias, Task t, List<Question> questions,
                          Prompts.Style style, Integer skipN, int[] skipLayers, String dataName, PrintStream progress) {
        int L = m.config().numLayers();
        Evaluator ev = new Evaluator(new Generator(b), tok, m.stopTokens(), style);
        Map<String, RunSummary> sums = new LinkedHashMap<>();
        Map<String, List<Evaluator.Outcome>> outs = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        // Unmeasured warm-up: the JIT compiles the kernels during the first questions, which would
        // otherwise make whichever configuration runs first look slower in tokens/s.
        for (Question q : questions.subList(0, Math.min(3, questions.size()))) ev.answer(q, Prefill.fixed(LayerPath.full(L)));
        run(ev, "baseline", questions, Prefill.fixed(LayerPath.full(L)), sums, outs, progress);
        List<Evaluator.Outcome> routed = null;
        if (routers != null) {
            RoutingPolicy policy = RoutingPolicy.argmax().withBias(bias[0], bias[1]);
            routed = run(ev, "routed", questions, new RoutedPrefill(routers, policy), sums, outs, progress);
            if (bias[0] != 0 || bias[1] != 0) notes.put("routed", "route bias skip=" + bias[0] + ", repeat=" + bias[1]);
        }
        int[] skip = skipLayers;
        if (skip == null && routed != null) {
            int n = skipN != null ? skipN : StaticSkip.defaultCount(L, routed);
            if (n < 1 || n >= L) throw new UserException("--skip-n must be in 1.." + (L - 1) + ", got " + n);
            skip = StaticSkip.mostSkippable(L, routed, n);
        }
        if (skip != null && skip.length > 0) {
            String name = "static skip-" + skip.length;
            run(ev, name, questions, Prefill.fixed(StaticSkip.path(L, skip)), sums, outs, progress);
            notes.put(name, (skip.length == 1 ? "skips layer " : "skips layers ") + Arrays.stream(skip).mapToObj(Integer::toString).collect(Collectors.joining(","))
                    + (skipLayers != null ? " (given)" : " (the routers' most skippable layers on these questions, same for every question)"));
        }
        return new EvalReport(t.id(), m.dir().toString(), routers == null ? null : routersPath.toString(), dataName, L, sums, outs, notes);
    }

    private static List<Evaluator.Outcome> run(Evaluator ev, String name, List<Question> qs, Prefill prefill,
                                               Map<String, RunSummary> sums, Map<String, List<Evaluator.Outcome>> outs, PrintStream progress) {
        long t0 = System.nanoTime();
        int[] done = {0, 0};
        List<Evaluator.Outcome> list = ev.answerAll(qs, prefill, o -> {
            done[0]++;
            if (o.correct()) done[1]++;
            if (progress != null && (done[0] % 50 == 0 || done[0] == qs.size())) {
                progress.printf(Locale.ROOT, "%-14s %4d/%d  accuracy %.1f%%  %.1fs%n", name, done[0], qs.size(), 100.0 * done[1] / done[0],
                        (System.nanoTime() - t0) / 1e9);
            }
        });
        sums.put(name, RunSummary.of(name, list));
        outs.put(name, list);
        return list;
    }

    static void writePlots(EvalReport r, Path dir, String prefix) throws java.io.IOException {
        Plots.accuracyVsLayers(r.task() + ": accuracy vs layers executed", List.copyOf(r.summaries().values()), dir.resolve(prefix + "-accuracy-vs-layers.png"));
        List<Evaluator.Outcome> routed = r.outcomes().get("routed");
        if (routed != null && !routed.isEmpty()) {
            int[][] d = routed.stream().map(Evaluator.Outcome::decisions).toArray(int[][]::new);
            Plots.decisionsHeatmap(r.task() + ": routed decisions (layers × questions)", d, dir.resolve(prefix + "-decisions.png"));
        }
    }
}
