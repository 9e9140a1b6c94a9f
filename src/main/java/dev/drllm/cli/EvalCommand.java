package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.EvalJob;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.EvalReport;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Plots;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.model.Model;
import dev.drllm.model.ModelFingerprint;
import dev.drllm.routing.Routers;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.Generator;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import dev.drllm.util.Shard;
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code drllm eval}: baseline (every layer once), routed, and a static skip-N baseline side by
 * side on one task file; writes a Markdown table, a JSON file and PNG plots. Every answer goes to
 * {@code <out-dir>/<data>.progress.jsonl} as it is made, so an interrupted run rerun with the same
 * settings continues where it stopped; the file is deleted once the report is written.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate baseline, routed and static-skip paths on a task file.")
final class EvalCommand implements Callable<Integer> {
    @Mixin TaskDataOptions io;
    @Option(names = "--routers", description = "routers.safetensors (default: <model>/routers.safetensors when present)") Path routersFile;
    @Option(names = "--route-bias", paramLabel = "skip=X,repeat=Y", description = "added to the skip / repeat router logits of the routed run") String routeBias;
    @Option(names = "--skip-n", description = "static baseline: skip this many layers (default: the layers routing saves on average, rounded, at least 1)") Integer skipN;
    @Option(names = "--skip-layers", description = "static baseline: skip exactly these layers, e.g. 9,12") String skipLayers;
    @Option(names = "--prompt-style", defaultValue = "base", description = "base (DESIGN.md §4 completions) or instruct (chat template)") String promptStyle;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default ${DEFAULT-VALUE})") String device;
    @Option(names = "--out-dir", defaultValue = "eval-out", description = "where the .md, .json and .png files go (default ${DEFAULT-VALUE})") Path outDir;
    @Option(names = "--json", description = "print the JSON report instead of the Markdown table") boolean json;
    @Option(names = "--quiet", description = "no progress on stderr") boolean quiet;
    @Option(names = "--shard", description = "i/n: answer only the questions whose index is i mod n into <out-dir>/<data>.shard-i-of-n.jsonl;"
            + " drllm eval-merge joins the shards and writes the report") String shard;
    @Option(names = "--fresh", description = "discard the progress file of an interrupted run with these --out-dir and --data, and start over")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        Task t = io.parsedTask();
        Prompts.Style style = switch (promptStyle.toLowerCase(Locale.ROOT)) {
            case "base" -> Prompts.Style.BASE;
            case "instruct" -> Prompts.Style.INSTRUCT;
            default -> throw new UserException("--prompt-style must be base or instruct, got '" + promptStyle + "'");
        };
        List<Question> all = io.questions();
        Shard slice = shard == null ? null : Shard.parse(shard);
        List<Question> questions = slice == null ? all : slice.select(all, Question::index);
        Args.outputDir("--out-dir", outDir);  // the report is written after the whole evaluation
        try (Model m = Model.load(io.model); Backend b = Backends.open(m, device)) {
            Tokenizer tok = Tokenizer.load(io.model);
            int L = m.config().numLayers();
            Path rf = Routers.resolve(io.model, routersFile);
            Routers routers = rf == null ? null : Routers.load(rf, m.config());
            float[] bias = routeBias == null ? new float[2] : RoutingOptions.parseBias(routeBias);
            if (routeBias != null && routers == null) throw new UserException("--route-bias needs routers");
            if (skipN != null && (skipN < 1 || skipN >= L)) throw new UserException("--skip-n must be in 1.." + (L - 1) + ", got " + skipN);
            int[] layers = parseLayers(skipLayers, L);
            checkContext(questions, tok, style, m.config().maxPositions(), io.data);
            String prefix = stem(io.data);
            Path progressFile = outDir.resolve(prefix + (slice == null ? PROGRESS_SUFFIX : "." + slice.fileTag() + ".jsonl"));
            if (fresh) {
                Files.deleteIfExists(progressFile);
                Files.deleteIfExists(ShardManifest.sidecar(progressFile));
            }
            // the header describes the whole run (all its questions), so every shard of a run has the same one
            EvalProgress.Header header = new EvalProgress.Header(t.id(), io.model.toString(), ModelFingerprint.of(io.model), L,
                    routers == null ? null : rf.toString(), routers == null ? null : routersFingerprint(rf), io.data.toString(),
                    EvalProgress.sha256(io.data), all.size(), style.name().toLowerCase(Locale.ROOT), bias[0], bias[1], skipN,
                    layers == null ? null : Arrays.stream(layers).boxed().toList(), device.strip().toLowerCase(Locale.ROOT));
            Evaluator ev = new Evaluator(new Generator(b), tok, m.stopTokens(), style);
            EvalJob.Settings settings = new EvalJob.Settings(t, L, routers, rf == null ? null : rf.toString(), bias[0], bias[1], skipN, layers);
            if (slice != null) {
                new ShardManifest("eval", slice, all.size(), runSettings(header)).claim(progressFile);
                List<String> configs;
                try (EvalProgress progress = openProgress(progressFile, header, questions)) {
                    configs = EvalJob.answerShard(ev, settings, questions, progress, quiet ? null : bars(t));
                }
                if (!quiet) {
                    System.err.println("drllm eval: shard " + slice + " answered " + questions.size() + " questions (" + String.join(", ", configs) + ") → "
                            + progressFile + "; drllm eval-merge joins the shards into the report");
                }
                return 0;
            }
            EvalReport report;
            try (EvalProgress progress = openProgress(progressFile, header, questions)) {
                if (!quiet && progress.configurations().size() > 0) {
                    System.err.println("drllm eval: resuming from " + progressFile + " (--fresh starts over)");
                }
                report = EvalJob.run(ev, settings, questions, m.dir().toString(), io.data.toString(), progress, quiet ? null : bars(t));
            }
            report.write(outDir, prefix);
            writePlots(report, outDir, prefix);
            // the report holds every answer now; a rerun (e.g. with retrained routers) starts afresh
            Files.deleteIfExists(progressFile);
            System.out.println(json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report.json()) : report.markdown());
            if (!quiet) System.err.println("wrote " + outDir.resolve(prefix + ".md") + ", .json and plots");
        }
        return 0;
    }

    /**
     * The manifest's run settings of a shard: its progress header without the paths (shards may
     * mount the model, routers and data elsewhere; their fingerprints stay).
     */
    static ObjectNode runSettings(EvalProgress.Header h) {
        ObjectNode o = h.toJson();
        o.remove(List.of("model", "routers", "data"));
        return o;
    }

    /** {@code <out-dir>/<data stem>.progress.jsonl}: the answers of a run not finished yet. */
    static final String PROGRESS_SUFFIX = ".progress.jsonl";

    static EvalProgress openProgress(Path file, EvalProgress.Header header, List<Question> questions) {
        try {
            return EvalProgress.open(file, header, questions);
        } catch (EvalProgress.MismatchException e) {
            throw new UserException(e.getMessage() + "; rerun with the same settings to resume it, or add --fresh (or delete the file) to start over");
        }
    }

    /**
     * The routers' content fingerprint: the file's SHA-256, or for a directory what
     * {@link Routers#load} reads from it (its routers.safetensors, else its checkpoint).
     */
    static String routersFingerprint(Path rf) {
        if (Files.isDirectory(rf)) {
            Path saved = rf.resolve(Routers.DEFAULT_FILE);
            return Files.isRegularFile(saved) ? EvalProgress.sha256(saved) : ModelFingerprint.of(rf);
        }
        return EvalProgress.sha256(rf);
    }

    /** One progress bar per configuration, with its accuracy so far. */
    static EvalJob.Progress bars(Task t) {
        return (name, total, done) -> {
            int[] counts = {done.size(), (int) done.stream().filter(Evaluator.Outcome::correct).count()};
            JobProgress bar = new JobProgress("eval " + t.id() + " " + name, total, counts[0], accuracy(counts), false);
            return new EvalJob.Step() {
                @Override
                public void answered(Evaluator.Outcome o) {
                    counts[0]++;
                    if (o.correct()) counts[1]++;
                    bar.step(accuracy(counts));
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }

    private static String accuracy(int[] counts) {
        return String.format(Locale.ROOT, "accuracy %d/%d", counts[1], counts[0]);
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

    static void writePlots(EvalReport r, Path dir, String prefix) throws java.io.IOException {
        Plots.accuracyVsLayers(r.task() + ": accuracy vs layers executed", List.copyOf(r.summaries().values()), dir.resolve(prefix + "-accuracy-vs-layers.png"));
        List<Evaluator.Outcome> routed = r.outcomes().get("routed");
        if (routed != null && !routed.isEmpty()) {
            int[][] d = routed.stream().map(Evaluator.Outcome::decisions).toArray(int[][]::new);
            Plots.decisionsHeatmap(r.task() + ": routed decisions (layers × questions)", d, dir.resolve(prefix + "-decisions.png"));
        }
    }
}
