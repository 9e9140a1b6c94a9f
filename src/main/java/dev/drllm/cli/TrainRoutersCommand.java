package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Prompts;
import dev.drllm.model.DType;
import dev.drllm.model.Model;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.eval.Question;
import dev.drllm.runtime.Generator;
import dev.drllm.train.FeatureSet;
import dev.drllm.train.OffsetCalibration;
import dev.drllm.train.LabelSet;
import dev.drllm.train.RouterMetrics;
import dev.drllm.train.RouterTrainer;
import dev.drllm.train.TrainConfig;
import dev.drllm.train.TrainableRouter;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code drllm train-routers}: teacher-forced router training on MCTS labels (Dr.LLM §3.3). The
 * base model is frozen; its hidden states along each labelled path are pooled once and cached,
 * then the routers train on the cache.
 */
@Command(name = "train-routers", mixinStandardHelpOptions = true, description = "Train the per-layer routers on router labels: drllm mcts output, or drllm scan-labels (consensus) output.")
final class TrainRoutersCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory (with tokenizer.json)") Path model;
    @Option(names = "--labels", required = true, split = ",", description = "label JSONL file(s) from drllm mcts or drllm scan-labels, comma-separated") List<Path> labels;
    @Option(names = "--data", required = true, split = ",", description = "the task JSONL file(s) the labels were searched on") List<Path> data;
    @Option(names = "--out", required = true, description = "routers.safetensors to write") Path out;
    // defaults: the paper's training recipe, TrainConfig.paper() (DESIGN.md §1)
    private static final TrainConfig PAPER = TrainConfig.paper();
    @Option(names = "--epochs", description = "(default ${DEFAULT-VALUE}, the paper's)") int epochs = PAPER.epochs();
    @Option(names = "--lr", description = "peak AdamW learning rate (default ${DEFAULT-VALUE}, the paper's)") double lr = PAPER.lr();
    @Option(names = "--weight-decay", description = "(default ${DEFAULT-VALUE}, the paper's)") double weightDecay = PAPER.weightDecay();
    @Option(names = "--warmup", description = "linear warm-up steps before the cosine (default ${DEFAULT-VALUE}, the paper's)") int warmup = PAPER.warmupSteps();
    @Option(names = "--batch", description = "questions per step (default ${DEFAULT-VALUE}, the paper's)") int batch = PAPER.batchSize();
    @Option(names = "--gamma", description = "focal loss gamma (default ${DEFAULT-VALUE}, the paper's)") double gamma = PAPER.gamma();
    @Option(names = "--beta", description = "effective-number beta for the class weights (default ${DEFAULT-VALUE}, the paper's)") double beta = PAPER.beta();
    @Option(names = "--held-out", description = "share of labelled questions held out for the metrics (default ${DEFAULT-VALUE})") double heldOut = PAPER.heldOut();
    @Option(names = "--seed", description = "initialisation, split and shuffle seed (default ${DEFAULT-VALUE})") long seed = PAPER.seed();
    @Option(names = "--router-hidden", description = "router width (default ${DEFAULT-VALUE}, the paper's)") int routerHidden = PAPER.routerHidden();
    @Option(names = "--windows", description = "pooling windows W (default ${DEFAULT-VALUE}, the paper's)") int windows = WindowPooling.DEFAULT_WINDOWS;
    @Option(names = "--select", defaultValue = "last", description = "last, or best (the epoch with the best held-out macro-F1)") String select;
    @Option(names = "--cache-dir", defaultValue = "target/drllm-cache", description = "where teacher-forced features are cached, one file per model + labels (default ${DEFAULT-VALUE})") Path cacheDir;
    @Option(names = "--calibrate", split = ",", description = "validation task file(s): held out of training, the skip/repeat logit offsets are chosen on them") List<Path> calibrate;
    @Option(names = "--skip-offsets", defaultValue = "0,-0.5,-1,-1.5,-2,-3", description = "skip offsets tried by --calibrate (default ${DEFAULT-VALUE})") String skipOffsets;
    @Option(names = "--repeat-offsets", defaultValue = "-3,-1,0,1", description = "repeat offsets tried by --calibrate (default ${DEFAULT-VALUE})") String repeatOffsets;
    @Option(names = "--calibrate-last", description = "hold out the last N questions of every --data file for calibration (instead of --calibrate files)") Integer calibrateLast;
    @Option(names = "--calibrate-limit", description = "use only the first N questions of each calibration file") Integer calibrateLimit;
    @Option(names = "--prompt-style", defaultValue = "base", description = "base or instruct (as for eval)") String promptStyle;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda, for the feature pass (default ${DEFAULT-VALUE})") String device;

    @Override
    public Integer call() throws Exception {
        boolean best = switch (select.toLowerCase(Locale.ROOT)) {
            case "last" -> false;
            case "best" -> true;
            default -> throw new UserException("--select must be last or best, got '" + select + "'");
        };
        Prompts.Style style = switch (promptStyle.toLowerCase(Locale.ROOT)) {
            case "base" -> Prompts.Style.BASE;
            case "instruct" -> Prompts.Style.INSTRUCT;
            default -> throw new UserException("--prompt-style must be base or instruct, got '" + promptStyle + "'");
        };
        TrainConfig cfg = config(best);
        // the routers are saved after the feature pass and training: a bad --out must fail before them
        Path outParent = out.toAbsolutePath().getParent();
        if (outParent != null) Args.outputDir("--out", outParent);
        if (java.nio.file.Files.isDirectory(out)) throw new UserException("--out " + out + " is a directory; name the routers file");
        WindowPooling pooling = WindowPooling.windowed(windows);
        try (Model m = Model.load(model); Backend b = Backends.open(m, device)) {
            Tokenizer tok = Tokenizer.load(model);
            int L = m.config().numLayers();
            LabelSet.Loaded all = LabelSet.load(labels, data, L, q -> Evaluator.promptIds(tok, q, style));
            Map<String, List<Question>> calTasks = calibrationTasks();
            Set<String> heldOut = new HashSet<>();
            calTasks.values().forEach(qs -> qs.forEach(q -> heldOut.add(q.task().id() + "/" + q.id())));
            List<dev.drllm.train.LabelledPrompt> kept = all.examples().stream().filter(e -> !heldOut.contains(e.id())).toList();
            LabelSet.Loaded loaded = new LabelSet.Loaded(kept, all.unsolved(), all.errors());
            if (loaded.examples().isEmpty()) throw new UserException("no usable labels in " + labels + " (every line unsolved, an error or held out)");
            int calQuestions = calTasks.values().stream().mapToInt(List::size).sum();
            System.err.printf(Locale.ROOT, "%d labelled questions (%d without a correct path and %d errors left out; %d labels dropped as"
                            + " calibration questions)%s%n", loaded.examples().size(), loaded.unsolved(), loaded.errors(), all.examples().size() - kept.size(),
                    calQuestions > 0 ? "; " + calQuestions + " questions held out for calibration" : "");
            long t0 = System.nanoTime();
            int n = loaded.examples().size();
            Path cacheFile = FeatureSet.cacheFile(cacheDir, model, pooling, loaded.examples());
            FeatureSet fs = FeatureSet.cached(cacheFile, model, b, pooling, loaded.examples(), i -> {
                if (i % 200 == 0 || i == n) System.err.printf(Locale.ROOT, "features %d/%d  %.1fs%n", i, n, (System.nanoTime() - t0) / 1e9);
            });
            System.err.printf(Locale.ROOT, "features ready (%s) in %.1fs%n", cacheFile, (System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            RouterTrainer.Result res = new RouterTrainer(cfg).train(fs, rep -> System.err.printf(Locale.ROOT, "epoch %2d  lr %.2e  train loss %.4f | held-out %s%n",
                    rep.epoch(), rep.lr(), rep.trainLoss(), rep.heldOut() == null ? "(none)" : rep.heldOut().summary()));
            double seconds = (System.nanoTime() - t1) / 1e9;
            List<Router> routers = new ArrayList<>();
            for (TrainableRouter r : res.routers()) routers.add(new Router(r.hidden(), r.inner(), r.w1(), r.b1(), r.w2(), r.b2()));
            Routers trained = new Routers(routers, windows);
            ObjectNode rep = report(cfg, res, fs, seconds);
            if (!calTasks.isEmpty()) {
                trained = calibrate(m, b, tok, style, trained, calTasks, rep);
            }
            trained.save(out, DType.F32);
            Path reportFile = out.resolveSibling(stem(out) + "-training.json");
            Files.writeString(reportFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rep) + "\n");
            System.err.printf(Locale.ROOT, "class counts skip/execute/repeat %s, weights %s; trained in %.1fs; kept epoch %d%n",
                    Arrays.toString(res.classCounts()), Arrays.toString(res.classWeights()), seconds, res.bestEpoch());
            System.out.println("wrote " + out + " and " + reportFile);
        }
        return 0;
    }

    /** The training settings of the options (the paper's, TrainConfig.paper(), unless an option changes one). */
    TrainConfig config(boolean selectBest) {
        return new TrainConfig(epochs, lr, weightDecay, warmup, batch, gamma, beta, heldOut, seed, routerHidden, selectBest);
    }

    /** The --calibrate questions by task; they are held out of training whether or not they are labelled. */
    private Map<String, List<Question>> calibrationTasks() {
        Map<String, List<Question>> tasks = new LinkedHashMap<>();
        if (calibrate != null && calibrateLast != null) throw new UserException("give either --calibrate or --calibrate-last, not both");
        if (calibrateLast != null && calibrateLast < 1) throw new UserException("--calibrate-last must be >= 1, got " + calibrateLast);
        List<Path> files = calibrate != null ? calibrate : calibrateLast != null ? data : List.of();
        for (Path f : files) {
            List<Question> qs = LabelSet.loadAnyTask(f);
            if (calibrateLast != null) {
                if (calibrateLast >= qs.size()) throw new UserException("--calibrate-last " + calibrateLast + " leaves nothing of " + f + " (" + qs.size() + " questions) to train on");
                qs = qs.subList(qs.size() - calibrateLast, qs.size());
            }
            tasks.merge(q0(qs).task().id(), qs, (a, c) -> { List<Question> x = new ArrayList<>(a); x.addAll(c); return x; });
        }
        return tasks;
    }

    private Routers calibrate(Model m, Backend b, Tokenizer tok, Prompts.Style style, Routers trained, Map<String, List<Question>> pool, ObjectNode rep) {
        // --calibrate-limit only shortens the search; the whole pool stays out of training.
        Map<String, List<Question>> tasks = new LinkedHashMap<>();
        pool.forEach((k, qs) -> tasks.put(k, calibrateLimit == null ? qs : qs.subList(0, Math.min(calibrateLimit, qs.size()))));
        Generator gen = new Generator(b);
        Evaluator ev = new Evaluator(gen, tok, m.stopTokens(), style);
        long t0 = System.nanoTime();
        System.err.println("calibrating skip/repeat offsets on " + tasks.keySet() + " (" + tasks.values().stream().mapToInt(List::size).sum() + " questions)");
        OffsetCalibration.Result r = OffsetCalibration.search(ev, gen.executor(), trained, tasks, floats(skipOffsets, "--skip-offsets"),
                floats(repeatOffsets, "--repeat-offsets"), c -> System.err.printf(Locale.ROOT, "  skip %+5.2f repeat %+5.2f  accuracy %s  layers/question %s  worst change %+.2f pt%n",
                        c.skip(), c.repeat(), pcts(c.accuracy()), fmt(c.layerExecutions()), 100 * c.worstDelta()));
        OffsetCalibration.Candidate c = r.chosen();
        System.err.printf(Locale.ROOT, "baseline accuracy %s layers/question %s; chose skip %+.2f repeat %+.2f (%.1fs)%n", pcts(r.baselineAccuracy()),
                fmt(r.baselineLayerExecutions()), c.skip(), c.repeat(), (System.nanoTime() - t0) / 1e9);
        ObjectNode cal = rep.putObject("calibration");
        ArrayNode files = cal.putArray("questions");
        tasks.forEach((task, qs) -> files.add(task + ": " + qs.size() + " (" + qs.get(0).id() + " .. " + qs.get(qs.size() - 1).id() + ")"));
        cal.put("skip_offset", c.skip());
        cal.put("repeat_offset", c.repeat());
        ArrayNode names = cal.putArray("tasks");
        r.tasks().forEach(names::add);
        cal.set("baseline_accuracy", Json.MAPPER.valueToTree(r.baselineAccuracy()));
        cal.set("baseline_layer_executions", Json.MAPPER.valueToTree(r.baselineLayerExecutions()));
        ArrayNode cands = cal.putArray("candidates");
        for (OffsetCalibration.Candidate x : r.candidates()) {
            ObjectNode o = cands.addObject();
            o.put("skip", x.skip()).put("repeat", x.repeat());
            o.set("accuracy", Json.MAPPER.valueToTree(x.accuracy()));
            o.set("layer_executions", Json.MAPPER.valueToTree(x.layerExecutions()));
        }
        return OffsetCalibration.bake(trained, c.skip(), c.repeat());
    }

    private static Question q0(List<Question> qs) {
        if (qs.isEmpty()) throw new UserException("a --calibrate file has no questions");
        return qs.get(0);
    }

    private static float[] floats(String text, String option) {
        String[] parts = text.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new UserException(option + ": '" + parts[i].strip() + "' is not a number");
            }
            if (!Float.isFinite(out[i])) throw new UserException(option + ": values must be finite");
        }
        return out;
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

    private ObjectNode report(TrainConfig cfg, RouterTrainer.Result res, FeatureSet fs, double seconds) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("model", model.toString());
        ArrayNode lf = o.putArray("labels");
        labels.forEach(p -> lf.add(p.toString()));
        o.set("config", Json.MAPPER.valueToTree(cfg));
        o.put("windows", windows);
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
        for (int c = 0; c < 3; c++) f1.add(m.f1(c));
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
