package dev.drllm.cli;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.Datasets;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.MctsConfig;
import dev.drllm.mcts.MctsJob;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.ModelWorker;
import dev.drllm.mcts.QuestionEvaluator;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code drllm bench-mcts}: path evaluations per second of the MCTS on real questions, with and
 * without prefix reuse (one single-threaded CPU backend each), and with reuse on N parallel
 * workers. The runs must produce identical records, which the command checks.
 */
@Command(name = "bench-mcts", mixinStandardHelpOptions = true, description = "Benchmark MCTS path evaluations/s with and without the prefix cache.")
final class BenchMctsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptions models;
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory (with tokenizer.json) or GGUF file") Path model;
    @Option(names = "--task", required = true, description = "arc or dart") String task;
    @Option(names = "--data", required = true, description = "task JSONL file (ARC or DART-Math layout); its first --questions are searched") Path data;
    @Option(names = "--questions", defaultValue = "16", description = "questions per run (default ${DEFAULT-VALUE})") int questions;
    @Option(names = "--simulations", defaultValue = "50", description = "MCTS simulations per question (default ${DEFAULT-VALUE})") int simulations;
    @Option(names = "--seed", defaultValue = "0", description = "search seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--threads", defaultValue = "1", description = "also time the cached search on this many parallel workers") int threads;
    @Option(names = "--prompt-style", defaultValue = "auto", description = "auto, base or instruct (default ${DEFAULT-VALUE})") String promptStyle;

    @Override
    public Integer call() throws IOException {
        Task t = Task.parse(task);
        if (questions < 1) throw new UserException("--questions must be >= 1");
        List<Question> qs = Datasets.load(data, t);
        qs = qs.subList(0, Math.min(questions, qs.size()));
        try (Model m = models.load(model)) {
            Tokenizer tok = dev.drllm.gguf.GgufTokenizer.forModel(model);
            TokenizerCodec codec = new TokenizerCodec(tok, TokenizerCodec.style(model, promptStyle));
            Set<Integer> stops = new HashSet<>(m.stopTokens());
            stops.addAll(tok.stopTokenIds());
            MctsJob.Settings s = new MctsJob.Settings(t, m.name(), m.config().numLayers(), MctsConfig.paper().withSimulations(simulations), seed, 1);
            // warm-up so the JIT has compiled the kernels before either timed run
            run(m, codec, stops, true, qs.subList(0, Math.min(2, qs.size())), s);
            Row plain = run(m, codec, stops, false, qs, s);
            Row cached = run(m, codec, stops, true, qs, s);
            if (!plain.canonical.equals(cached.canonical)) throw new IllegalStateException("prefix reuse changed the search results");
            System.out.printf(Locale.ROOT, "bench-mcts %s, %s, %d questions, %d simulations, seed %d%n", m.dir().getFileName(), t.id(), qs.size(), simulations, seed);
            System.out.printf(Locale.ROOT, "%-26s %8s %9s %8s   %s%n", "mode", "evals", "seconds", "evals/s",
                    "per eval: prompt slots run / reused, decode slots run / reused");
            plain.print("no prefix cache, 1 thread");
            cached.print("prefix cache, 1 thread");
            System.out.printf(Locale.ROOT, "speed-up from the prefix cache: %.2fx (identical records)%n", cached.rate() / plain.rate());
            if (threads > 1) {
                Path tmp = Files.createTempFile("bench-mcts", ".jsonl");
                Files.delete(tmp);
                MctsJob.Settings ps = new MctsJob.Settings(t, s.model(), s.numLayers(), s.config(), seed, threads);
                long t0 = System.nanoTime();
                try (MctsOutput o = MctsOutput.openForAppend(tmp, new ArrayList<>())) {
                    MctsJob.run(qs, ps, () -> new ModelWorker(new CpuBackend(m, 1), codec, stops, true, ModelWorker.DEFAULT_PREFIX_BUDGET), o, r -> {});
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%-26s %8d %9.2f %8.1f%n", "prefix cache, " + threads + " threads", cached.evals, sec, cached.evals / sec);
                Files.deleteIfExists(tmp);
            }
        }
        return 0;
    }

    private record Row(long evals, double seconds, long[] counters, List<String> canonical) {
        double rate() { return evals / seconds; }

        void print(String mode) {
            System.out.printf(Locale.ROOT, "%-26s %8d %9.2f %8.1f   %.2f / %.2f, %.2f / %.2f%n", mode, evals, seconds, rate(),
                    (double) counters[0] / evals, (double) counters[1] / evals, (double) counters[2] / evals, (double) counters[3] / evals);
        }
    }

    private static Row run(Model m, TokenizerCodec codec, Set<Integer> stops, boolean reuse, List<Question> qs, MctsJob.Settings s) {
        List<String> canonical = new ArrayList<>();
        long evals = 0;
        long t0 = System.nanoTime();
        try (ModelWorker w = new ModelWorker(new CpuBackend(m, 1), codec, stops, reuse, ModelWorker.DEFAULT_PREFIX_BUDGET)) {
            for (Question q : qs) {
                MctsRecord r;
                try (QuestionEvaluator ev = w.open(q)) {
                    r = MctsJob.solve(q, ev, s);
                }
                evals += r.evaluations();
                var o = r.toJson();
                o.remove("seconds");
                canonical.add(o.toString());
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            return new Row(evals, sec, w.counters(), canonical);
        }
    }
}
