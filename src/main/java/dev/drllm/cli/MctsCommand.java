package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.MctsConfig;
import dev.drllm.mcts.MctsJob;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.ModelWorker;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.model.ModelFingerprint;
import dev.drllm.runtime.Backends;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import dev.drllm.util.Shard;
import dev.drllm.util.ShardManifest;
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
    @Mixin TaskDataOptions io;
    @Option(names = "--out", required = true, description = "JSONL output; an existing file is resumed") Path out;
    @Option(names = "--simulations", defaultValue = "50", description = "MCTS simulations per question (default ${DEFAULT-VALUE})") int simulations;
    @Option(names = "--shard", description = "i/n: this run takes the questions whose index is i mod n (merge the shards with mcts-merge)") String shard;
    @Option(names = "--threads", description = "parallel questions (default: all cores)") Integer threads;
    @Option(names = "--seed", defaultValue = "0", description = "search seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu (one single-threaded backend per worker) or another backend (one worker)") String device;
    @Option(names = "--prompt-style", defaultValue = "auto", description = "auto, base or instruct (default ${DEFAULT-VALUE})") String promptStyle;
    @Option(names = "--no-prefix-cache", description = "recompute every prompt slot (for benchmarks)") boolean noPrefixCache;
    @Option(names = "--quiet", description = "no progress bar") boolean quiet;

    @Override
    public Integer call() {
        Task t = io.parsedTask();
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new UserException("--threads must be >= 1, got " + nThreads);
        List<Question> all = io.questions();
        Shard slice = shard == null ? null : Shard.parse(shard);
        List<Question> questions = slice == null ? all : slice.select(all, Question::index);
        try (Model m = Model.load(io.model)) {
            Tokenizer tok = Tokenizer.load(io.model);
            TokenizerCodec codec = new TokenizerCodec(tok, TokenizerCodec.style(io.model, promptStyle));
            java.util.Set<Integer> stops = new java.util.HashSet<>(m.stopTokens());
            stops.addAll(tok.stopTokenIds());
            boolean cpu = device.strip().equalsIgnoreCase("cpu");
            int workers = cpu ? nThreads : 1;
            MctsJob.Settings s = new MctsJob.Settings(t, m.config().numLayers(), MctsConfig.paper().withSimulations(simulations), seed, workers);
            Supplier<MctsJob.Worker> factory = () -> new ModelWorker(cpu ? new CpuBackend(m, 1) : Backends.open(m, device), codec, stops,
                    !noPrefixCache, ModelWorker.DEFAULT_PREFIX_BUDGET);
            if (slice == null) ShardManifest.refuseUnsharded(out, "mcts");
            else new ShardManifest("mcts", slice, all.size(), runSettings(t, m, codec)).claim(out);
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

    /**
     * What every shard of one run must share (the manifest's run settings): content fingerprints, not
     * paths, so shards on machines that mount the model elsewhere still merge.
     */
    private ObjectNode runSettings(Task t, Model m, TokenizerCodec codec) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task", t.id());
        o.put("model_fingerprint", ModelFingerprint.of(io.model));
        o.put("num_layers", m.config().numLayers());
        o.put("data_sha256", EvalProgress.sha256(io.data));
        o.put("seed", seed);
        o.put("simulations", simulations);
        o.put("prompt_style", codec.style().name().toLowerCase(Locale.ROOT));
        o.put("device", device.strip().toLowerCase(Locale.ROOT));
        return o;
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
