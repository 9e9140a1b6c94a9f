package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.Curation;
import dev.drllm.mcts.MctsConfig;
import dev.drllm.mcts.MctsJob;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.MctsReports;
import dev.drllm.mcts.ModelWorker;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.model.ModelFingerprint;
import dev.drllm.runtime.Backends;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.ItemWorkers;
import dev.drllm.util.Json;
import dev.drllm.util.Shard;
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code drllm mcts}: MCTS supervision labels for a task file, resumable and shardable, curated as
 * the reference does by default ({@link Curation}): questions are searched in order until the
 * quota of kept questions is full and the fix target met (or the data / {@code --max-searched}
 * runs out); every searched question goes to {@code --out}, the kept ones to the curated file.
 */
@Command(name = "mcts", mixinStandardHelpOptions = true,
        description = {"Search accuracy-preserving shorter (or fixing) layer paths per question; one JSON line per searched question in --out,",
                "the curated training set (the reference's rule: a quota of solved questions, topped up with fixed ones to --fix-share) in --curated-out."})
final class MctsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptions models;
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
    @Option(names = "--quota", description = "questions to keep (default: the paper's, ARC 1000, DART 3000; per shard ⌈quota/n⌉)") Integer quota;
    @Option(names = "--fix-share", description = "least share of kept questions that MCTS fixed (default 0.3, the paper's)") Double fixShare;
    @Option(names = "--max-searched", description = "search at most N questions of the data (this shard's share with --shard; default: all)") Integer maxSearched;
    @Option(names = "--label-all", description = "no curation: search every question and keep every solved one (not the paper's supervision)") boolean labelAll;
    @Option(names = "--curated-out", description = "the kept questions' JSONL (default: <out stem>-curated.jsonl; its summary <stem>.json)") Path curatedOut;

    /** The curation rule of the options for {@code task}, before sharding. */
    static Curation.Rule rule(String task, Integer quota, Double fixShare, boolean labelAll) {
        if (labelAll) {
            if (quota != null || fixShare != null) throw new UserException("--label-all keeps every solved question: drop --quota / --fix-share");
            return Curation.Rule.labelAll();
        }
        if (quota != null && quota < 1) throw new UserException("--quota must be >= 1, got " + quota);
        if (fixShare != null && !(fixShare >= 0 && fixShare <= 1)) throw new UserException("--fix-share must be in [0, 1], got " + fixShare);
        Curation.Rule paper = Curation.Rule.paper(task);
        return new Curation.Rule(quota == null ? paper.quota() : quota, fixShare == null ? paper.fixShare() : fixShare);
    }

    /** The curation rule of the whole run a manifest's settings record ({@link #runSettings}); null for runs made before they named it. */
    static Curation.Rule runRule(com.fasterxml.jackson.databind.JsonNode run) {
        if (!run.has("label_all")) return null;
        return run.get("label_all").asBoolean() ? Curation.Rule.labelAll()
                : new Curation.Rule(run.get("quota").asInt(), run.get("fix_share").asDouble());
    }

    /** {@code out} with its {@code .jsonl} extension replaced by {@code suffix}. */
    static Path sibling(Path out, String suffix) {
        String n = out.getFileName().toString();
        String stem = n.endsWith(".jsonl") ? n.substring(0, n.length() - ".jsonl".length()) : n;
        return out.resolveSibling(stem + suffix);
    }

    @Override
    public Integer call() {
        Task t = io.parsedTask();
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new UserException("--threads must be >= 1, got " + nThreads);
        List<Question> all = io.questions();
        Shard slice = shard == null ? null : Shard.parse(shard);
        List<Question> questions = slice == null ? all : slice.select(all, Question::index);
        int shards = slice == null ? 1 : slice.count();
        Curation.Rule rule = rule(t.id(), quota, fixShare, labelAll).shard(shards);
        if (maxSearched != null && maxSearched < 1) throw new UserException("--max-searched must be >= 1, got " + maxSearched);
        int budget = maxSearched == null ? Integer.MAX_VALUE : (maxSearched + shards - 1) / shards;
        Path curated = curatedOut != null ? curatedOut : sibling(out, "-curated.jsonl");
        Path curationJson = sibling(curated, ".json");
        for (Path p : List.of(curated, curationJson)) {
            if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) throw new UserException("--curated-out must differ from --out: " + p);
        }
        try (Model m = models.load(io.model)) {
            Tokenizer tok = dev.drllm.gguf.GgufTokenizer.forModel(io.model);
            TokenizerCodec codec = new TokenizerCodec(tok, TokenizerCodec.style(io.model, promptStyle));
            java.util.Set<Integer> stops = new java.util.HashSet<>(m.stopTokens());
            stops.addAll(tok.stopTokenIds());
            boolean cpu = device.strip().equalsIgnoreCase("cpu");
            int workers = cpu ? nThreads : 1;
            MctsJob.Settings s = new MctsJob.Settings(t, m.name(), m.config().numLayers(), MctsConfig.paper().withSimulations(simulations), seed, workers);
            Supplier<MctsJob.Worker> factory = () -> new ModelWorker(cpu ? new CpuBackend(m, 1) : Backends.open(m, device), codec, stops,
                    !noPrefixCache, ModelWorker.DEFAULT_PREFIX_BUDGET);
            if (slice == null) ShardManifest.refuseUnsharded(out, "mcts");
            else new ShardManifest("mcts", slice, all.size(), runSettings(t, m, codec, rule(t.id(), quota, fixShare, labelAll), maxSearched)).claim(out);
            List<MctsRecord> existing = new ArrayList<>();
            try (MctsOutput o = MctsOutput.openForAppend(out, existing)) {
                List<Question> todo = MctsJob.pending(questions, existing, s, out);
                if (todo.size() > Math.max(0, budget - existing.size())) todo = todo.subList(0, Math.max(0, budget - existing.size()));
                InOrder curation = new InOrder(questions, rule);
                existing.forEach(curation::add);
                if (curation.complete()) todo = List.of();
                System.err.println("drllm mcts: " + rule.describe() + (shards > 1 ? " for this shard" : "") + "; " + existing.size()
                        + " questions searched before, " + todo.size() + " more at most");
                Progress progress = new Progress(existing, m.config().numLayers(), curation);
                int total = existing.size() + todo.size();
                try (JobProgress bar = new JobProgress("mcts " + t.id(), total, existing.size(), progress.message(), quiet)) {
                    MctsJob.run(todo, s, factory, o, r -> {
                        curation.add(r);
                        bar.step(progress.add(r));
                    }, curation::before);
                }
                System.err.println("drllm mcts: " + progress.message() + " → " + out);
            }
            List<MctsRecord> searched = MctsOutput.readAll(out, false);
            Curation.Result res = Curation.apply(rule, searched);
            MctsReports.writeJsonl(res.kept(), curated);
            ObjectNode summary = res.toJson();
            summary.put("data", io.data.toString());
            summary.put("searched_file", out.toString());
            summary.put("questions_in_data", questions.size());
            if (shard != null) summary.put("shard", shard);
            if (maxSearched != null) summary.put("max_searched", budget);
            String why = res.complete() || rule.isLabelAll() ? ""
                    : searched.size() >= questions.size() ? " (every question of " + io.data + (shard != null ? " in this shard" : "") + " searched)"
                    : searched.size() >= budget ? " (--max-searched " + budget + " reached)" : " (stopped early; rerun to resume)";
            summary.put("summary", res.summary() + why);
            MctsReports.writeJson(summary, curationJson);
            System.err.println("drllm mcts: curation: " + res.summary() + why + " → " + curated + ", " + curationJson);
        }
        return 0;
    }

    /**
     * What every shard of one run must share (the manifest's run settings): content fingerprints, not
     * paths, so shards on machines that mount the model elsewhere still merge. The curation rule of
     * the whole run and {@code --max-searched} are there too: they decide where a shard may stop
     * ({@link #stoppedAfter}).
     */
    private ObjectNode runSettings(Task t, Model m, TokenizerCodec codec, Curation.Rule rule, Integer maxSearched) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task", t.id());
        o.put("model_fingerprint", models.fingerprint(io.model));
        o.put("num_layers", m.config().numLayers());
        o.put("data_sha256", EvalProgress.sha256(io.data));
        o.put("seed", seed);
        o.put("simulations", simulations);
        o.put("prompt_style", codec.style().name().toLowerCase(Locale.ROOT));
        o.put("device", device.strip().toLowerCase(Locale.ROOT));
        o.put("label_all", rule.isLabelAll());
        if (!rule.isLabelAll()) {
            o.put("quota", rule.quota());
            o.put("fix_share", rule.fixShare());
        }
        if (maxSearched != null) o.put("max_searched", maxSearched);
        return o;
    }

    /**
     * For a merge: a predicate told the questions a shard of the run {@code m} searched, in the
     * shard's order, that answers true once the shard had searched all it had to: its share of the
     * curation quota kept (with the fix target met), or its share of {@code --max-searched}.
     * {@code record} gives the shard's record of a question index. Shards of runs made before the
     * manifest named the curation (no {@code label_all} key) must hold every question.
     */
    static java.util.function.IntPredicate stoppedAfter(ShardManifest m, java.util.function.IntFunction<MctsRecord> record) {
        com.fasterxml.jackson.databind.JsonNode run = m.run();
        Curation.Rule whole = runRule(run);
        if (whole == null) return i -> false;
        int n = m.shard().count();
        Curation curation = new Curation(whole.shard(n));
        int budget = run.has("max_searched") ? (run.get("max_searched").asInt() + n - 1) / n : Integer.MAX_VALUE;
        int[] searched = {0};
        return i -> curation.offer(record.apply(i)) | ++searched[0] >= budget;
    }

    /** Running counts for the progress bar: fixes found and layers saved by the kept paths. */
    static final class Progress {
        private final int numLayers;
        private final InOrder curation;
        private int done, original, solved, fixes, errors;
        private long saved;

        Progress(List<MctsRecord> existing, int numLayers, InOrder curation) {
            this.numLayers = numLayers;
            this.curation = curation;
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
            return String.format(Locale.ROOT, "orig %d/%d, fixes %d, saved %.2f layers/q%s%s", original, done - errors, fixes,
                    solved == 0 ? 0.0 : (double) saved / solved, errors > 0 ? ", errors " + errors : "", curation.status());
        }
    }

    /**
     * Curation fed in question order while records arrive in any order from the workers: a record
     * waits until every question before it (in this run's list) has been searched. As the workers'
     * gate ({@link #before}) it starts no question the curation could do without, so a threaded run
     * searches the questions a one-thread run would, no more.
     */
    static final class InOrder {
        private final Map<Integer, Integer> position = new HashMap<>();
        private final MctsRecord[] byPosition;
        private final Curation curation;
        private int next;
        private volatile boolean complete;

        InOrder(List<Question> questions, Curation.Rule rule) {
            byPosition = new MctsRecord[questions.size()];
            for (int i = 0; i < questions.size(); i++) position.put(questions.get(i).index(), i);
            curation = new Curation(rule);
        }

        synchronized void add(MctsRecord r) {
            Integer p = position.get(r.index());
            if (p == null) return;
            byPosition[p] = r;
            while (next < byPosition.length && byPosition[next] != null) {
                if (curation.offer(byPosition[next])) complete = true;
                byPosition[next++] = null;
            }
        }

        boolean complete() { return complete; }

        /**
         * Before question {@code q} starts: STOP once the curation is complete; WAIT while the
         * questions before {@code q} that are in flight, or searched but not yet curated, could
         * still complete it (each can add at most one kept question and one kept fix); else GO.
         */
        synchronized ItemWorkers.Next before(Question q) {
            if (complete) return ItemWorkers.Next.STOP;
            Curation.Result now = curation.result();
            int solved = 0, fixed = 0;
            for (int i = next, p = position.get(q.index()); i < p; i++) {
                MctsRecord r = byPosition[i];
                boolean mayKeep = r == null || r.error() == null && r.solved();
                if (mayKeep) solved++;
                if (mayKeep && (r == null || r.fixed())) fixed++;
            }
            Curation.Rule rule = now.rule();
            boolean couldComplete = !rule.isLabelAll() && now.kept().size() + solved >= rule.quota()
                    && now.keptFixes() + fixed >= rule.fixTarget();
            return couldComplete ? ItemWorkers.Next.WAIT : ItemWorkers.Next.GO;
        }

        synchronized String status() {
            Curation.Result r = curation.result();
            if (r.rule().isLabelAll()) return "";
            return String.format(Locale.ROOT, "; kept %d/%d, kept fixes %d/%d", r.kept().size(), r.rule().quota(), r.keptFixes(), r.rule().fixTarget());
        }
    }
}
