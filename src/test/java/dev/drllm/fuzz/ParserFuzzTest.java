package dev.drllm.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.drllm.analysis.ConsensusLabels;
import dev.drllm.analysis.ScanFile;
import dev.drllm.analysis.ScanReport;
import dev.drllm.util.DatasetException;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.RunSummary;
import dev.drllm.eval.StaticSkip;
import dev.drllm.eval.Datasets;
import dev.drllm.eval.Task;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.model.Checkpoint;
import dev.drllm.model.CheckpointException;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.routing.Routers;
import dev.drllm.runtime.InvalidPathException;
import dev.drllm.runtime.LayerPath;
import dev.drllm.tokenizer.TemplateProbe;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.tokenizer.TokenizerException;
import dev.drllm.util.Json;
import dev.drllm.util.ShardException;
import dev.drllm.util.ShardManifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of every parser that reads untrusted input. Each target feeds
 * the fuzzer's bytes to one parser and accepts only that parser's typed exception; anything else
 * (NullPointerException, ArithmeticException, OutOfMemoryError, StackOverflowError, a hang) is a
 * finding. {@link #allParsers} dispatches on its first byte so one bounded fuzzing run in
 * {@code mvn test} covers every parser; the single targets exist for longer campaigns (README,
 * "Fuzzing"). Seeds: {@code src/test/resources/dev/drllm/fuzz/ParserFuzzTestInputs/<target>/},
 * written by {@link FuzzSeeds}.
 */
class ParserFuzzTest {
    /** Parsers that read files get their bytes through one scratch directory per JVM. */
    static final Path SCRATCH;
    static final ModelConfig CONFIG;

    static {
        try {
            SCRATCH = Files.createTempDirectory("drllm-fuzz");
            CONFIG = ModelConfig.parse(Path.of("config.json"), Json.MAPPER.readTree(FuzzSeeds.SMALL_CONFIG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String[] TARGETS = {"safetensors", "modelConfig", "checkpointIndex", "tokenizerJson", "tokenizerText", "routers",
            "datasetJsonl", "mctsResume", "layerPath", "chatTemplate", "scanFile", "evalProgress", "shardManifest"};

    @FuzzTest(maxDuration = "10s")
    void allParsers(byte[] data) {
        if (data.length == 0) return;
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        switch ((data[0] & 0xFF) % TARGETS.length) {
            case 0 -> safetensors(rest);
            case 1 -> modelConfig(rest);
            case 2 -> checkpointIndex(rest);
            case 3 -> tokenizerJson(rest);
            case 4 -> tokenizerText(rest);
            case 5 -> routers(rest);
            case 6 -> datasetJsonl(rest);
            case 7 -> mctsResume(rest);
            case 8 -> layerPath(rest);
            case 9 -> chatTemplate(rest);
            case 10 -> scanFile(rest);
            case 11 -> evalProgress(rest);
            default -> shardManifest(rest);
        }
    }

    /** The safetensors header and offsets, in memory (no file needed). */
    @FuzzTest(maxDuration = "10s")
    void safetensors(byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 0, data.length);
            SafetensorsFile f = SafetensorsFile.parse(Path.of("fuzz.safetensors"), seg.asSlice(0, data.length), arena);
            // every tensor handed out must be readable within the file
            f.tensors().values().forEach(t -> {
                if (t.numel() > 0 && t.dtype().isFloatWeight()) t.getFloat(t.numel() - 1);
            });
        } catch (CheckpointException expected) {
            // the typed error
        }
    }

    /** config.json through the same read as {@link ModelConfig#load}. */
    @FuzzTest(maxDuration = "10s")
    void modelConfig(byte[] data) {
        Path f = write("config", "config.json", data);
        try {
            ModelConfig.load(f).ropeInverseFrequencies();
        } catch (CheckpointException expected) {
            // the typed error
        }
    }

    /** model.safetensors.index.json, next to one valid shard. */
    @FuzzTest(maxDuration = "10s")
    void checkpointIndex(byte[] data) {
        Path dir = write("index", Checkpoint.INDEX, data).getParent();
        ensure(dir.resolve("a.safetensors"), FuzzSeeds.smallSafetensors());
        try (Checkpoint ck = Checkpoint.open(dir)) {
            ck.tensors().size();
        } catch (CheckpointException expected) {
            // the typed error
        }
    }

    /** tokenizer.json: loading, then a short encode / decode with whatever loaded. */
    @FuzzTest(maxDuration = "10s")
    void tokenizerJson(byte[] data) {
        Path dir = write("tokenizer", "tokenizer.json", data).getParent();
        try {
            Tokenizer t = Tokenizer.load(dir);
            t.decode(t.encode("Question: 2+2?\nAnswer: é😀"), true);
        } catch (TokenizerException expected) {
            // the typed error
        }
    }

    private static Tokenizer tiny;

    /** Arbitrary text through the real tiny tokenizer: encoding never fails and decodes back to the text. */
    @FuzzTest(maxDuration = "10s")
    void tokenizerText(byte[] data) {
        if (tiny == null) tiny = Tokenizer.load(dev.drllm.Fixtures.tinyModel());
        String s = new String(data, StandardCharsets.UTF_8);
        String back = tiny.decode(tiny.encode(s), false);
        if (!back.equals(s) && !back.equals(java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC))) {
            throw new AssertionError("decode(encode(x)) != x for " + Arrays.toString(data) + ": '" + back + "'");
        }
    }

    /** A routers safetensors file checked against a 2-layer, hidden-16 model. */
    @FuzzTest(maxDuration = "10s")
    void routers(byte[] data) {
        Path f = write("routers", "routers.safetensors", data);
        try {
            Routers.load(f, CONFIG);
        } catch (CheckpointException expected) {
            // the typed error
        }
    }

    /** ARC / DART JSONL (the first byte picks the layout). */
    @FuzzTest(maxDuration = "10s")
    void datasetJsonl(byte[] data) {
        if (data.length == 0) return;
        Path f = write("dataset", "data.jsonl", Arrays.copyOfRange(data, 1, data.length));
        try {
            Datasets.load(f, (data[0] & 1) == 0 ? Task.ARC : Task.DART);
        } catch (DatasetException expected) {
            // the typed error
        }
    }

    /** The MCTS output a resumed job reads back (torn tail tolerated or not, by the first byte). */
    @FuzzTest(maxDuration = "10s")
    void mctsResume(byte[] data) {
        if (data.length == 0) return;
        Path f = write("mcts", "mcts.jsonl", Arrays.copyOfRange(data, 1, data.length));
        try {
            MctsOutput.readAll(f, (data[0] & 1) == 0);
        } catch (DatasetException expected) {
            // the typed error
        }
    }

    /** The --path syntax of the CLI. */
    @FuzzTest(maxDuration = "10s")
    void layerPath(byte[] data) {
        try {
            LayerPath p = LayerPath.parse(16, new String(data, StandardCharsets.UTF_8));
            LayerPath.validate(16, p.layers());
        } catch (InvalidPathException expected) {
            // the typed error
        }
    }

    static final java.util.List<java.util.Map<String, Object>> CHAT = java.util.List.of(
            java.util.Map.of("role", "system", "content", "Answer with a single letter."),
            java.util.Map.of("role", "user", "content", "Which number is even? (A) 99 (B) 88"),
            java.util.Map.of("role", "assistant", "content", "B"),
            java.util.Map.of("role", "user", "content", "2+2?"));

    /**
     * A chat template (the {@code chat_template} of tokenizer_config.json, i.e. Jinja from the model
     * download) rendered on a short conversation. Guard: no rendering may load anything; a render
     * that asked for a resource must fail, and neither the rendering nor its error may show the
     * canary that the classpath and the template's directory hold.
     */
    @FuzzTest(maxDuration = "10s")
    void chatTemplate(byte[] data) {
        com.fasterxml.jackson.databind.node.ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("chat_template", new String(data, StandardCharsets.UTF_8));
        cfg.put("eos_token", "<|endoftext|>");
        Path dir;
        try {
            dir = write("chat", "tokenizer_config.json", Json.MAPPER.writeValueAsBytes(cfg)).getParent();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ensure(dir.resolve("tokenizer.json"), FuzzSeeds.MINIMAL_TOKENIZER.getBytes(StandardCharsets.UTF_8));
        // a secret beside the template, as the classpath holds TemplateProbe.CANARY_RESOURCE
        ensure(dir.resolve("canary.txt"), TemplateProbe.CANARY.getBytes(StandardCharsets.UTF_8));
        long requests = TemplateProbe.resourceRequests();
        String shown;
        try {
            Tokenizer t = Tokenizer.load(dir);
            shown = t.hasChatTemplate() ? t.renderChat(CHAT, true, null) : "";
            // the guard (issue 22): a rendering that asked for a resource must not come back
            if (TemplateProbe.resourceRequests() != requests)
                throw new AssertionError("a chat template asked for a resource and still rendered: " + shown);
        } catch (TokenizerException expected) {
            // the typed error
            shown = expected.getMessage();
        }
        // (the fuzzer learns the canary from this comparison and writes it into templates; an error
        // quoting such a template is no leak)
        if (shown.contains(TemplateProbe.CANARY) && !new String(data, StandardCharsets.UTF_8).contains(TemplateProbe.CANARY))
            throw new AssertionError("a chat template read a resource or file: " + shown);
    }

    /**
     * An edit-scan file as {@code drllm edit-scan-report} and {@code drllm scan-labels} read it
     * (torn tail tolerated or not, by the first byte), then both analyses on what parsed, with
     * settings small enough for a fuzz run. Accepted: the reader's {@link DatasetException}, and the
     * {@link IllegalArgumentException} the analyses refuse a scan with (both commands report it as a
     * user error, one line and exit code 2).
     */
    @FuzzTest(maxDuration = "10s")
    void scanFile(byte[] data) {
        if (data.length == 0) return;
        Path f = write("scan", "scan.jsonl", Arrays.copyOfRange(data, 1, data.length));
        ScanFile.Scan scan;
        try {
            scan = ScanFile.read(f, (data[0] & 1) == 0);
        } catch (DatasetException expected) {
            return;
        }
        double minAgreement = (data[0] & 2) == 0 ? 1.0 : 0.5;
        try {
            ScanReport r = ScanReport.of(scan, new ScanReport.Settings(2, 0.25, data[0], new int[]{1, 3}, minAgreement));
            r.text();
            Json.MAPPER.writeValueAsString(r.toJson());
        } catch (IllegalArgumentException expected) {
            // the analysis' refusal
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        List<Integer> layers = scan.header().featureLayers();
        if (layers.isEmpty()) return; // scan-labels refuses that before labelling
        try {
            // scan-labels' default feature layer; --hold-out-last 0..3 by the first byte
            List<ConsensusLabels.Label> labels = ConsensusLabels.of(scan,
                    new ConsensusLabels.Settings(layers.get(layers.size() / 2), 3, minAgreement, (data[0] >> 2) & 3));
            for (ConsensusLabels.Label l : labels) l.toJson(scan.header().numLayers(), scan.header().candidates());
        } catch (IllegalArgumentException expected) {
            // the analysis' refusal
        }
    }

    /**
     * The progress file a resumed {@code drllm eval} reads back ({@link EvalProgress#open} with the
     * run's own header, {@link FuzzSeeds#EVAL_HEADER}), then what the job computes from the answers
     * read back: each configuration's summary and, from the routed answers' router logits, the
     * static baseline's layers. Accepted: {@link DatasetException}, and
     * {@link IllegalArgumentException} (another run's file: {@link EvalProgress.MismatchException};
     * no router logits to rank layers by), both user errors of {@code drllm eval}.
     */
    @FuzzTest(maxDuration = "10s")
    void evalProgress(byte[] data) {
        Path f = write("eval", "data.progress.jsonl", data);
        try (EvalProgress p = EvalProgress.open(f, FuzzSeeds.EVAL_HEADER, FuzzSeeds.EVAL_QUESTIONS)) {
            int L = FuzzSeeds.EVAL_HEADER.numLayers();
            for (String c : p.configurations()) {
                List<Evaluator.Outcome> done = List.copyOf(p.done(c).values());
                RunSummary.of(c, done);
                if (c.equals("routed") && !done.isEmpty()) StaticSkip.mostSkippable(L, done, StaticSkip.defaultCount(L, done));
            }
        } catch (DatasetException | IllegalArgumentException expected) {
            // the typed error
        }
    }

    /** A shard output's manifest ({@code <output>.shard.json}), read for a merge and checked against the output's items. */
    @FuzzTest(maxDuration = "10s")
    void shardManifest(byte[] data) {
        Path manifest = write("shard", "out.jsonl.shard.json", data);
        Path out = manifest.resolveSibling("out.jsonl");
        ensure(out, new byte[0]);
        try {
            ShardManifest m = ShardManifest.read(out);
            m.describe();
            ShardManifest.checkSet(m.job(), List.of(out));
            m.requireComplete(out, List.of(0, 1, 2, 5), "question");
        } catch (DatasetException | ShardException expected) {
            // the typed errors
        }
    }

    static Path write(String sub, String name, byte[] data) {
        try {
            Path dir = Files.createDirectories(SCRATCH.resolve(sub));
            Path f = dir.resolve(name);
            Files.write(f, data);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void ensure(Path f, byte[] data) {
        try {
            if (!Files.exists(f)) Files.write(f, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
