package dev.drllm.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Prompts;
import dev.drllm.eval.Question;
import dev.drllm.model.DType;
import dev.drllm.model.Model;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Generator;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;
import dev.drllm.util.Shard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The router-training pipeline of {@code drllm train-routers} (Dr.LLM §3.3), top to bottom:
 * <ol>
 *   <li>labels: MCTS or consensus label files joined with their task files ({@link LabelSet}); the
 *       calibration questions are held out of training whether or not they are labelled;</li>
 *   <li>features: the frozen base's teacher-forced window means along each labelled path, computed
 *       once and cached on disk ({@link FeatureSet}, keyed by model content, pooling and labels);</li>
 *   <li>train: one router per layer, focal loss, AdamW ({@link RouterTrainer});</li>
 *   <li>calibrate (optional): skip / repeat logit offsets chosen on the held-out questions
 *       ({@link OffsetCalibration}) and baked into the routers;</li>
 *   <li>report: the routers file and {@code <stem>-training.json} (config, class counts, per-epoch
 *       metrics, calibration) beside it.</li>
 * </ol>
 * Progress goes to a line consumer (stderr in the CLI). Bad inputs are {@link IllegalArgumentException}s
 * naming the option or file.
 */
public final class RouterTraining {
    /**
     * What to train on and how.
     *
     * @param cacheDir       where feature caches live (one file per model + labels + pooling)
     * @param calibrate      validation task files held out for the offset search (may be empty)
     * @param calibrateLast  instead: hold out the last N questions of every data file (null: off)
     * @param calibrateLimit use only the first N questions of each calibration task (null: all)
     */
    public record Options(List<Path> labels, List<Path> data, Path out, TrainConfig config, int windows, Path cacheDir,
                          List<Path> calibrate, Integer calibrateLast, Integer calibrateLimit, float[] skipOffsets,
                          float[] repeatOffsets, Prompts.Style style) {
        public Options {
            labels = List.copyOf(labels);
            data = List.copyOf(data);
            calibrate = calibrate == null ? List.of() : List.copyOf(calibrate);
            if (!calibrate.isEmpty() && calibrateLast != null) throw new IllegalArgumentException("give either --calibrate or --calibrate-last, not both");
            if (calibrateLast != null && calibrateLast < 1) throw new IllegalArgumentException("--calibrate-last must be >= 1, got " + calibrateLast);
            if (calibrateLimit != null && calibrateLimit < 1) throw new IllegalArgumentException("--calibrate-limit must be >= 1, got " + calibrateLimit);
            if (windows < 1) throw new IllegalArgumentException("--windows must be >= 1, got " + windows);
        }
    }

    /** What was written. */
    public record Result(Routers routers, Path routersFile, Path reportFile, RouterTrainer.Result training) {}

    private RouterTraining() {}

    /** The default feature cache: {@code $XDG_CACHE_HOME/drllm/router-features}, else {@code ~/.cache/drllm/router-features}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("drllm").resolve("router-features");
    }

    /** Runs the pipeline on model {@code modelDir} (loaded as {@code m}, run by {@code b}); progress lines go to {@code log}. */
    public static Result run(Path modelDir, Model m, Backend b, Tokenizer tok, Options o, Consumer<String> log) throws IOException {
        return run(modelDir, m, b, tok, o, null, log);
    }

    /**
     * As {@link #run(Path, Model, Backend, Tokenizer, Options, Consumer)}, with the features joined from
     * {@code featureShards}, the outputs of {@link #featureShard} for every shard (null: a feature pass here).
     */
    public static Result run(Path modelDir, Model m, Backend b, Tokenizer tok, Options o, List<Path> featureShards, Consumer<String> log)
            throws IOException {
        int L = m.config().numLayers();
        WindowPooling pooling = WindowPooling.windowed(o.windows());

        // 1. labels, less the calibration questions
        Map<String, List<Question>> calTasks = calibrationTasks(o);
        List<LabelledPrompt> kept = examples(tok, o, L, calTasks, log);

        // 2. features: a feature pass (cached), or the union of feature shards
        long t0 = System.nanoTime();
        int n = kept.size();
        FeatureSet.Cached cached;
        if (featureShards != null) {
            cached = FeatureSet.fromShards(featureShards, o.cacheDir(), modelDir, L, m.config().hiddenSize(), pooling, kept);
            log.accept(String.format(Locale.ROOT, "features of %d examples joined from %d shards", n, featureShards.size()));
        } else {
            cached = FeatureSet.cached(o.cacheDir(), modelDir, b, pooling, kept, progress(n, t0, log));
        }
        FeatureSet fs = cached.features();
        log.accept(String.format(Locale.ROOT, "features ready (%s) in %.1fs", cached.file(), (System.nanoTime() - t0) / 1e9));

        // 3. train
        long t1 = System.nanoTime();
        RouterTrainer.Result res = new RouterTrainer(o.config()).train(fs, rep -> log.accept(String.format(Locale.ROOT,
                "epoch %2d  lr %.2e  train loss %.4f | held-out %s", rep.epoch(), rep.lr(), rep.trainLoss(),
                rep.heldOut() == null ? "(none)" : rep.heldOut().summary())));
        double seconds = (System.nanoTime() - t1) / 1e9;
        List<Router> routers = new ArrayList<>();
        for (TrainableRouter r : res.routers()) routers.add(r.router());
        Routers trained = new Routers(routers, o.windows());
        ObjectNode rep = report(modelDir, o, res, fs, seconds);

        // 4. calibrate
        if (!calTasks.isEmpty()) trained = calibrate(m, b, tok, o, trained, calTasks, rep, log);

        // 5. write
        trained.save(o.out(), DType.F32);
        Path reportFile = o.out().resolveSibling(stem(o.out()) + "-training.json");
        AtomicFiles.writeString(reportFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rep) + "\n");
        log.accept(String.format(Locale.ROOT, "class counts skip/execute/repeat %s, weights %s; trained in %.1fs; kept epoch %d",
                Arrays.toString(res.classCounts()), Arrays.toString(res.classWeights()), seconds, res.bestEpoch()));
        return new Result(trained, o.out(), reportFile, res);
    }

    /**
     * The feature pass of one shard only (the labelled examples whose position is i mod n, after the
     * calibration hold-out) into {@code out}; {@link #run} given every shard's output trains on their union.
     */
    public static void featureShard(Path modelDir, Model m, Backend b, Tokenizer tok, Options o, Shard shard, Path out, Consumer<String> log)
            throws IOException {
        List<LabelledPrompt> kept = examples(tok, o, m.config().numLayers(), calibrationTasks(o), log);
        long t0 = System.nanoTime();
        int n = shard.size(kept.size());
        FeatureSet.extractShard(out, shard, modelDir, b, WindowPooling.windowed(o.windows()), kept, progress(n, t0, log));
        log.accept(String.format(Locale.ROOT, "feature shard %s (%d of %d examples) → %s in %.1fs; train on the union with --features", shard, n,
                kept.size(), out, (System.nanoTime() - t0) / 1e9));
    }

    private static IntConsumer progress(int n, long t0, Consumer<String> log) {
        return i -> {
            if (i % 200 == 0 || i == n) log.accept(String.format(Locale.ROOT, "features %d/%d  %.1fs", i, n, (System.nanoTime() - t0) / 1e9));
        };
    }

    /** The labelled examples, less the calibration questions (logged with the counts left out). */
    private static List<LabelledPrompt> examples(Tokenizer tok, Options o, int L, Map<String, List<Question>> calTasks, Consumer<String> log) {
        LabelSet.Loaded all = LabelSet.load(o.labels(), o.data(), L, q -> Evaluator.promptIds(tok, q, o.style()));
        Set<String> calIds = new HashSet<>();
        calTasks.values().forEach(qs -> qs.forEach(q -> calIds.add(q.task().id() + "/" + q.id())));
        List<LabelledPrompt> kept = all.examples().stream().filter(e -> !calIds.contains(e.id())).toList();
        if (kept.isEmpty()) throw new IllegalArgumentException("no usable labels in " + o.labels() + " (every line unsolved, an error or held out)");
        int calQuestions = calTasks.values().stream().mapToInt(List::size).sum();
        log.accept(String.format(Locale.ROOT, "%d labelled questions (%d without a correct path and %d errors left out; %d labels dropped as"
                        + " calibration questions)%s", kept.size(), all.unsolved(), all.errors(), all.examples().size() - kept.size(),
                calQuestions > 0 ? "; " + calQuestions + " questions held out for calibration" : ""));
        return kept;
    }

    /** The calibration questions by task; they are held out of training whether or not they are labelled. */
    static Map<String, List<Question>> calibrationTasks(Options o) {
        Map<String, List<Question>> tasks = new LinkedHashMap<>();
        List<Path> files = !o.calibrate().isEmpty() ? o.calibrate() : o.calibrateLast() != null ? o.data() : List.of();
        for (Path f : files) {
            List<Question> qs = LabelSet.loadAnyTask(f);
            if (o.calibrateLast() != null) {
                if (o.calibrateLast() >= qs.size()) {
                    throw new IllegalArgumentException("--calibrate-last " + o.calibrateLast() + " leaves nothing of " + f + " (" + qs.size() + " questions) to train on");
                }
                qs = qs.subList(qs.size() - o.calibrateLast(), qs.size());
            }
            tasks.merge(qs.getFirst().task().id(), qs, (a, c) -> {
                List<Question> x = new ArrayList<>(a);
                x.addAll(c);
                return x;
            });
        }
        return tasks;
    }

    private static Routers calibrate(Model m, Backend b, Tokenizer tok, Options o, Routers trained, Map<String, List<Question>> pool,
                                     ObjectNode rep, Consumer<String> log) {
        // --calibrate-limit only shortens the search; the whole pool stays out of training.
        Map<String, List<Question>> tasks = new LinkedHashMap<>();
        Integer limit = o.calibrateLimit();
        pool.forEach((k, qs) -> tasks.put(k, limit == null ? qs : qs.subList(0, Math.min(limit, qs.size()))));
        Generator gen = new Generator(b);
        Evaluator ev = new Evaluator(gen, tok, m.stopTokens(), o.style());
        long t0 = System.nanoTime();
        log.accept("calibrating skip/repeat offsets on " + tasks.keySet() + " (" + tasks.values().stream().mapToInt(List::size).sum() + " questions)");
        OffsetCalibration.Result r = OffsetCalibration.search(ev, gen.executor(), trained, tasks, o.skipOffsets(), o.repeatOffsets(),
                c -> log.accept(String.format(Locale.ROOT, "  skip %+5.2f repeat %+5.2f  accuracy %s  layers/question %s  worst change %+.2f pt",
                        c.skip(), c.repeat(), pcts(c.accuracy()), fmt(c.layerExecutions()), 100 * c.worstDelta())));
        OffsetCalibration.Candidate c = r.chosen();
        log.accept(String.format(Locale.ROOT, "baseline accuracy %s layers/question %s; chose skip %+.2f repeat %+.2f (%.1fs)", pcts(r.baselineAccuracy()),
                fmt(r.baselineLayerExecutions()), c.skip(), c.repeat(), (System.nanoTime() - t0) / 1e9));
        ObjectNode cal = rep.putObject("calibration");
        ArrayNode files = cal.putArray("questions");
        tasks.forEach((task, qs) -> files.add(task + ": " + qs.size() + " (" + qs.getFirst().id() + " .. " + qs.getLast().id() + ")"));
        cal.put("skip_offset", c.skip());
        cal.put("repeat_offset", c.repeat());
        ArrayNode names = cal.putArray("tasks");
        r.tasks().forEach(names::add);
        cal.set("baseline_accuracy", Json.MAPPER.valueToTree(r.baselineAccuracy()));
        cal.set("baseline_layer_executions", Json.MAPPER.valueToTree(r.baselineLayerExecutions()));
        ArrayNode cands = cal.putArray("candidates");
        for (OffsetCalibration.Candidate x : r.candidates()) {
            ObjectNode co = cands.addObject();
            co.put("skip", x.skip()).put("repeat", x.repeat());
            co.set("accuracy", Json.MAPPER.valueToTree(x.accuracy()));
            co.set("layer_executions", Json.MAPPER.valueToTree(x.layerExecutions()));
        }
        return OffsetCalibration.bake(trained, c.skip(), c.repeat());
    }

    private static String pcts(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) sb.append(sb.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.1f%%", 100 * x));
        return sb.toString();
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) sb.append(sb.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.1f", x));
        return sb.toString();
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".safetensors") ? n.substring(0, n.length() - ".safetensors".length()) : n;
    }

    private static ObjectNode report(Path modelDir, Options opts, RouterTrainer.Result res, FeatureSet fs, double seconds) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("model", modelDir.toString());
        ArrayNode lf = o.putArray("labels");
        opts.labels().forEach(p -> lf.add(p.toString()));
        o.set("config", Json.MAPPER.valueToTree(opts.config()));
        o.put("windows", opts.windows());
        o.put("questions", fs.size());
        o.put("train_questions", res.trainIndices().length);
        o.put("held_out_questions", res.heldOutIndices().length);
        ArrayNode cc = o.putArray("class_counts");
        for (long c : res.classCounts()) cc.add(c);
        ArrayNode cw = o.putArray("class_weights");
        for (float w : res.classWeights()) cw.add(w);
        o.put("kept_epoch", res.bestEpoch());
        o.put("train_seconds", seconds);
        ArrayNode hist = o.putArray("epochs");
        for (RouterTrainer.EpochReport e : res.history()) {
            ObjectNode h = hist.addObject();
            h.put("epoch", e.epoch());
            h.put("lr", e.lr());
            h.put("train_loss", e.trainLoss());
            if (e.heldOut() != null) h.set("held_out", metrics(e.heldOut()));
            h.set("train", metrics(e.train()));
        }
        return o;
    }

    private static ObjectNode metrics(RouterMetrics m) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("loss", m.loss());
        o.put("accuracy", m.accuracy());
        o.put("macro_f1", m.macroF1());
        ArrayNode f1 = o.putArray("f1");
        for (int c = 0; c < Router.CLASSES; c++) f1.add(m.f1(c));
        o.put("skip_accuracy", nan(m.skipAccuracy()));
        o.put("repeat_accuracy", nan(m.repeatAccuracy()));
        o.put("avg_predicted_path_length", m.avgPredictedPathLength());
        o.put("avg_label_path_length", m.avgLabelPathLength());
        ArrayNode cm = o.putArray("confusion");
        for (long[] row : m.confusion()) {
            ArrayNode r = cm.addArray();
            for (long v : row) r.add(v);
        }
        return o;
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
