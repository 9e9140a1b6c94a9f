package dev.drllm.cli;

import dev.drllm.eval.Prompts;
import dev.drllm.model.Model;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.train.RouterTraining;
import dev.drllm.train.TrainConfig;
import dev.drllm.util.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code drllm train-routers}: parses the options and runs {@link RouterTraining}, the pipeline
 * (labels → teacher-forced features → train → calibrate → report) in {@code dev.drllm.train}.
 */
@Command(name = "train-routers", mixinStandardHelpOptions = true, description = "Train the per-layer routers on router labels: drllm mcts output, or drllm scan-labels (consensus) output.")
final class TrainRoutersCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory (with tokenizer.json)") Path model;
    @Option(names = "--labels", required = true, split = ",", description = "label JSONL file(s) from drllm mcts or drllm scan-labels, comma-separated") List<Path> labels;
    @Option(names = "--data", required = true, split = ",", description = "the task JSONL file(s) the labels were searched on") List<Path> data;
    @Option(names = "--out", description = "routers.safetensors to write (required unless --shard)") Path out;
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
    @Option(names = "--cache-dir", description = "where teacher-forced features are cached, one file per model content + labels + pooling"
            + " (default $XDG_CACHE_HOME/drllm/router-features, else ~/.cache/drllm/router-features)") Path cacheDir;
    @Option(names = "--calibrate", split = ",", description = "validation task file(s): held out of training, the skip/repeat logit offsets are chosen on them") List<Path> calibrate;
    @Option(names = "--skip-offsets", defaultValue = "0,-0.5,-1,-1.5,-2,-3", description = "skip offsets tried by --calibrate (default ${DEFAULT-VALUE})") String skipOffsets;
    @Option(names = "--repeat-offsets", defaultValue = "-3,-1,0,1", description = "repeat offsets tried by --calibrate (default ${DEFAULT-VALUE})") String repeatOffsets;
    @Option(names = "--calibrate-last", description = "hold out the last N questions of every --data file for calibration (instead of --calibrate files)") Integer calibrateLast;
    @Option(names = "--calibrate-limit", description = "use only the first N questions of each calibration file") Integer calibrateLimit;
    @Option(names = "--prompt-style", defaultValue = "base", description = "base or instruct (as for eval)") String promptStyle;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda, for the feature pass (default ${DEFAULT-VALUE})") String device;
    @Option(names = "--shard", description = "i/n: only the feature pass of the labelled examples whose position is i mod n, into --features-out;"
            + " then train on the union with --features") String shard;
    @Option(names = "--features-out", description = "with --shard: the feature shard to write (safetensors)") Path featuresOut;
    @Option(names = "--features", split = ",", description = "the feature shards of train-routers --shard runs, comma-separated: train on their"
            + " union (checked: every shard once, of these labels and model) instead of a feature pass") List<Path> featureShards;

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
        if (shard != null) {
            if (featuresOut == null) throw new UserException("--shard needs --features-out (the feature shard to write)");
            if (featureShards != null || out != null) throw new UserException("--shard runs only the feature pass: give --features-out, not --out or --features");
            Args.outputFile("--features-out", featuresOut);
        } else {
            if (out == null) throw new UserException("--out is required (the routers file to write), unless --shard runs only the feature pass");
            if (featuresOut != null) throw new UserException("--features-out goes with --shard");
        }
        Shard slice = shard == null ? null : Shard.parse(shard);
        RouterTraining.Options opts = new RouterTraining.Options(labels, data, out, cfg, windows,
                cacheDir != null ? cacheDir : RouterTraining.defaultCacheDir(), calibrate, calibrateLast, calibrateLimit,
                floats(skipOffsets, "--skip-offsets"), floats(repeatOffsets, "--repeat-offsets"), style);
        // the routers are saved after the feature pass and training: a bad --out must fail before them
        Path outParent = out == null ? null : out.toAbsolutePath().getParent();
        if (outParent != null) Args.outputDir("--out", outParent);
        if (out != null && Files.isDirectory(out)) throw new UserException("--out " + out + " is a directory; name the routers file");
        try (Model m = Model.load(model); Backend b = Backends.open(m, device)) {
            if (slice != null) {
                RouterTraining.featureShard(model, m, b, Tokenizer.load(model), opts, slice, featuresOut, System.err::println);
                return 0;
            }
            RouterTraining.Result r = RouterTraining.run(model, m, b, Tokenizer.load(model), opts, featureShards, System.err::println);
            System.out.println("wrote " + r.routersFile() + " and " + r.reportFile());
        }
        return 0;
    }

    /** The training settings of the options (the paper's, TrainConfig.paper(), unless an option changes one). */
    TrainConfig config(boolean selectBest) {
        return new TrainConfig(epochs, lr, weightDecay, warmup, batch, gamma, beta, heldOut, seed, routerHidden, selectBest);
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
}
