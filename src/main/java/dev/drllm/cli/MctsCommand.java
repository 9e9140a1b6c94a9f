package dev.drllm.cli;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.MctsConfig;
import dev.drllm.mcts.MctsJob;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.ModelWorker;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.runtime.Backends;
import dev.drllm.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code drllm mcts}: MCTS supervision labels for a task file, resumable and shardable. */
@Command(name = "mcts", mixinStandardHelpOptions = true,
        description = "Search accuracy-preserving shorter (or fixing) layer paths per question; one JSON line per question.")
final class MctsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptions models;
    @Mixin TaskDataOptions io;
    @Option(names = "--out", required = true, description = "JSONL output; an existing file is resumed") Path out;
    @Option(names = "--simulations", defaultValue = "50", description = "MCTS simulations per question (default ${DEFAULT-VALUE})") int simulations;
    @Option(names = "--shard", description = "i/n: this run takes the questions whose index is i mod n") String shard;
    @Option(names = "--threads", description = "parallel questions (default: all cores)") Integer threads;
    @Option(names = "--seed", defaultValue = "0", description = "search seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu (one single-threaded backend per worker) or another backend (one worker)") String device;
    @Option(names = "--prompt-style", defaultValue = "auto", description = "auto, base or instruct (default ${DEFAULT-VALUE})") String promptStyle;
    @Option(names = "--no-prefix-cache", description = "recompute every prompt slot (for benchmarks)") boolean noPrefixCache;
    @Option(names = "--quiet", description = "no progress bar") boolean quiet;

    /** "i/n" → {i, n}. */
    static int[] parseShard(String s) {
        String[] p = s.strip().split("/");
        try {
            if (p.length == 2) {
                int i = Integer.parseInt(p[0].strip()), n = Integer.parseInt(p[1].strip());
                if (n >= 1 && i >= 0 && i < n) return new int[]{i, n};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserException("--shard must be i/n with 0 <= i < n, got '" + s + "'");
    }

    /** The questions whose index is i mod n for {@code --shard i/n}; all of them without a shard. */
    static List<Question> shard(List<Question> qs, String shard) {
        if (shard == null) return qs;
        int[] s = parseShard(shard);
        List<Question> out = new ArrayList<>();
        for (Question q : qs) if (q.index() % s[1] == s[0]) out.add(q);
        return out;
    }

    @Override
    public Integer call() {
        Task t = io.parsedTask();
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new UserException("--threads must be >= 1, got " + nThreads);
        List<Question> questions = shard(io.questions(), shard);
        try (Model m = models.load(io.model)) {
            Tokenizer tok = dev.drllm.gguf.GgufTokenizer.forModel(io.model);
            TokenizerCodec codec = new TokenizerCodec(tok, TokenizerCodec.style(io.model, promptStyle));
            java.util.Set<Integer> stops = new java.util.HashSet<>(m.stopTokens());
            stops.addAll(tok.stopTokenIds());
            boolean cpu = device.strip().equalsIgnoreCase("cpu");
            int workers = cpu ? nThreads : 1;
            MctsJob.Settings s = new MctsJob.Settings(t, m.config().numLayers(), MctsConfig.paper().withSimulations(simulations), seed, workers);
            Supplier<MctsJob.Worker> factory = () -> new ModelWorker(cpu ? new CpuBackend(m, 1) : Backends.open(m, device), codec, stops,
                    !noPrefixCache, ModelWorker.DEFAULT_PREFIX_BUDGET);
            List<MctsRecord> existing = new ArrayList<>();
            try (MctsOutput o = MctsOutput.openForAppend(out, existing)) {
                List<Question> todo = MctsJob.pending(questions, existing, s, out);
                Progress progress = new Progress(existing, m.config().numLayers());
                try (JobProgress bar = new JobProgress("mcts " + t.id(), questions.size(), questions.size() - todo.size(), progress.message(), quiet)) {
                    MctsJob.run(todo, s, factory, o, r -> bar.step(progress.add(r)));
                }
                System.err.println("drllm mcts: " + progress.message() + " → " + out);
            }
        }
        return 0;
    }

    /** Running counts for the progress bar: fixes found and layers saved by the kept paths. */
    static final class Progress {
        private final int numLayers;
        private int done, original, solved, fixes, errors;
        private long saved;

        Progress(List<MctsRecord> existing, int numLayers) {
            this.numLayers = numLayers;
            for (MctsRecord r : existing) add(r);
        }

        synchronized String add(MctsRecord r) {
            done++;
            if (r.error() != null) {
                errors++;
            } else {
                if (r.originalCorrect()) original++;
                if (r.solved()) {
                    solved++;
                    saved += numLayers - r.bestPath().size();
                }
                if (r.fixed()) fixes++;
            }
            return message();
        }

        synchronized String message() {
            return String.format(Locale.ROOT, "orig %d/%d, fixes %d, saved %.2f layers/q%s", original, done - errors, fixes,
                    solved == 0 ? 0.0 : (double) saved / solved, errors > 0 ? ", errors " + errors : "");
        }
    }
}
