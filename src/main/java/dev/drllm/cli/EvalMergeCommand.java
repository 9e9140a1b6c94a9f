package dev.drllm.cli;

import dev.drllm.eval.Datasets;
import dev.drllm.eval.EvalJob;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.EvalReport;
import dev.drllm.eval.Evaluator;
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
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code drllm eval-merge}: joins the shards of {@code drllm eval --shard i/n} into the report one
 * unsharded run writes (timings aside). The answers go into {@code <out-dir>/<data>.progress.jsonl}
 * and the evaluation then resumes from it as an interrupted {@code eval} would: nothing is answered
 * again, except the static skip-N baseline when its layers were left to be chosen from the routed
 * answers of all shards — that configuration runs here, on the model the shards name. Refuses,
 * naming the file, a missing, duplicate, unfinished or foreign shard.
 */
@Command(name = "eval-merge", mixinStandardHelpOptions = true,
        description = "Join the shards of one drllm eval --shard run into its report (runs the static skip-N baseline when its layers come from all routed answers).")
final class EvalMergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SHARD", description = "the <data>.shard-i-of-n.jsonl files of drllm eval --shard, one per shard") List<Path> inputs;
    @Option(names = "--out-dir", description = "where the report goes (default: the directory of the first shard)") Path outDir;
    @Option(names = "--device", description = "device for the static skip-N baseline, when it runs here (default: the shards' --device)") String device;
    @Option(names = "--json", description = "print the JSON report instead of the Markdown table") boolean json;
    @Option(names = "--quiet", description = "no progress on stderr") boolean quiet;

    @Override
    public Integer call() throws Exception {
        ShardManifest.Checked set = ShardManifest.checkSet("eval", inputs);
        EvalProgress.Header h = EvalProgress.readHeader(set.files().getFirst());
        Task t = Task.parse(h.task());
        Path data = Path.of(h.data()), modelDir = Path.of(h.model());
        requireSame(data, EvalProgress.sha256(data), h.dataSha256(), "data file");
        requireSame(modelDir, ModelFingerprint.of(modelDir), h.modelFingerprint(), "model");
        List<Question> all = Datasets.load(data, t);
        if (all.size() < h.questions()) throw new UserException(data + " has " + all.size() + " questions, the shards answered " + h.questions());
        List<Question> questions = all.subList(0, h.questions());
        Path dir = outDir != null ? outDir : set.files().getFirst().toAbsolutePath().getParent();
        Args.outputDir("--out-dir", dir);
        String prefix = EvalCommand.stem(data);
        Path merged = dir.resolve(prefix + EvalCommand.PROGRESS_SUFFIX);
        int[] layers = h.skipLayers() == null ? null : h.skipLayers().stream().mapToInt(Integer::intValue).toArray();
        String staticName = EvalJob.staticName(layers);
        // every shard's header is the run's (the manifests agree on the settings): its answers join one progress file
        try (EvalProgress out = EvalCommand.openProgress(merged, h, questions)) {
            for (int i = 0; i < set.files().size(); i++) {
                Path f = set.files().get(i);
                ShardManifest m = set.shard(i);
                List<Question> mine = m.shard().select(questions, Question::index);
                try (EvalProgress shard = EvalCommand.openProgress(f, EvalProgress.readHeader(f), mine)) {
                    List<String> expected = new ArrayList<>(List.of("baseline"));
                    if (h.routers() != null) expected.add("routed");
                    if (staticName != null) expected.add(staticName);
                    for (String c : expected) m.requireComplete(f, shard.done(c).keySet(), "question of '" + c + "'");
                    for (String c : shard.configurations()) {
                        if (!expected.contains(c)) throw new UserException(f + ": holds answers of '" + c + "', which this run does not evaluate " + expected);
                        Map<Integer, Evaluator.Outcome> have = out.done(c);
                        for (Question q : mine) {
                            if (!have.containsKey(q.index())) out.append(c, shard.done(c).get(q.index()));
                        }
                    }
                }
            }
        }
        Prompts.Style style = h.promptStyle().equals("instruct") ? Prompts.Style.INSTRUCT : Prompts.Style.BASE;
        // the static baseline is left when the routers choose its layers from all shards' routed answers
        boolean staticHere = h.routers() != null && h.skipLayers() == null;
        try (Model m = Model.load(modelDir)) {
            Routers routers = null;
            Path rf = h.routers() == null ? null : Path.of(h.routers());
            if (rf != null) {
                requireSame(rf, EvalCommand.routersFingerprint(rf), h.routersFingerprint(), "routers");
                routers = Routers.load(rf, m.config());
            }
            EvalJob.Settings settings = new EvalJob.Settings(t, h.numLayers(), routers, h.routers(), h.skipBias(), h.repeatBias(), h.skipN(), layers);
            EvalReport report;
            try (Backend b = staticHere ? Backends.open(m, device != null ? device : h.device()) : null;
                 EvalProgress progress = EvalCommand.openProgress(merged, h, questions)) {
                Evaluator ev = b == null ? null : new Evaluator(new Generator(b), Tokenizer.load(modelDir), m.stopTokens(), style);
                if (staticHere && !quiet) System.err.println("drllm eval-merge: the static skip-N baseline's layers come from every shard's routed answers; running it here");
                report = EvalJob.run(ev, settings, questions, m.dir().toString(), h.data(), progress, quiet ? null : EvalCommand.bars(t));
            }
            report.write(dir, prefix);
            EvalCommand.writePlots(report, dir, prefix);
            Files.deleteIfExists(merged);
            System.out.println(json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report.json()) : report.markdown());
            if (!quiet) System.err.println("drllm eval-merge: " + questions.size() + " questions from " + set.files().size() + " shards; wrote "
                    + dir.resolve(prefix + ".md") + ", .json and plots");
        }
        return 0;
    }

    private static void requireSame(Path file, String now, String then, String what) {
        if (!now.equals(then)) {
            throw new UserException(file + ": the " + what + " changed since the shards ran (fingerprint " + now + ", the shards used " + then + ")");
        }
    }

}
