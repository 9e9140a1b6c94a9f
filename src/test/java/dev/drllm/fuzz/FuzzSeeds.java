package dev.drllm.fuzz;

import dev.drllm.Fixtures;
import dev.drllm.analysis.EditScan;
import dev.drllm.analysis.ScanFile;
import dev.drllm.analysis.ScanHeader;
import dev.drllm.analysis.ScanRecord;
import dev.drllm.eval.EvalProgress;
import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.runtime.LayerPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the committed seed corpus of {@link ParserFuzzTest}: valid inputs of every parser (so the
 * fuzzer starts deep inside them) under {@code <target>/}, and the same seeds prefixed with their
 * selector byte under {@code allParsers/}. Run it again after changing a format:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.drllm.fuzz.FuzzSeeds}
 * (README, "Fuzzing"). Inputs Jazzer finds later (crashes, new coverage) are added next to them.
 */
public final class FuzzSeeds {
    static final String SMALL_CONFIG = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 64, "hidden_size": 16,
             "intermediate_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
             "head_dim": 8, "max_position_embeddings": 64, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
             "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                              "original_max_position_embeddings": 32},
             "tie_word_embeddings": true, "hidden_act": "silu", "bos_token_id": 0, "eos_token_id": [0, 1], "torch_dtype": "bfloat16"}
            """;

    /** A complete byte-level BPE tokenizer.json small enough to load on every fuzz run. */
    static final String MINIMAL_TOKENIZER = """
                {"version": "1.0", "added_tokens": [{"id": 0, "content": "<|endoftext|>", "special": true, "single_word": false,
                  "lstrip": false, "rstrip": false, "normalized": false}],
                 "normalizer": {"type": "NFC"},
                 "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\\\s+|\\\\d"},
                   "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false,
                   "use_regex": false}]},
                 "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
                 "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
                 "model": {"type": "BPE", "dropout": null, "unk_token": null, "fuse_unk": false, "byte_fallback": false,
                   "ignore_merges": false, "vocab": {"a": 1, "b": 2, "ab": 3, "Ġ": 4}, "merges": [["a", "b"]]}}
                                """;

    /** The settings of the {@code drllm eval} run whose progress file {@code ParserFuzzTest#evalProgress} reads back. */
    static final EvalProgress.Header EVAL_HEADER = new EvalProgress.Header("arc", "models/drllm-tiny", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", 4,
            "models/drllm-tiny/routers.safetensors", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
            "data/tasks/arc-test.jsonl", "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", 3, "base", 0f, 0f, null, null, "cpu");

    /** The questions of that run (ARC layout, indices 0..2). */
    static final List<Question> EVAL_QUESTIONS = List.of(
            new Question(Task.ARC, 0, "test-arc-0", "Which number is even?", List.of("99", "67", "33", "88"), "D", 0),
            new Question(Task.ARC, 1, "test-arc-1", "Which is a fruit?", List.of("apple", "stone", "car", "cloud"), "A", 0),
            new Question(Task.ARC, 2, "test-arc-2", "2+2?", List.of("3", "4", "5", "6"), "B", 0));

    private FuzzSeeds() {}

    /**
     * A progress file as {@link EvalProgress} writes it for {@link #EVAL_HEADER}: the header, then
     * the answers of {@code configs} (baseline: the full path; routed: a shorter path with its router
     * logits; static skip-1: layer 2 skipped) to every question.
     */
    static byte[] evalProgress(List<String> configs) throws IOException {
        Path tmp = Files.createTempFile("seed", ".progress.jsonl");
        Files.delete(tmp);
        try (EvalProgress p = EvalProgress.open(tmp, EVAL_HEADER, EVAL_QUESTIONS)) {
            for (String c : configs) {
                for (Question q : EVAL_QUESTIONS) {
                    boolean routed = c.equals("routed");
                    int[] path = c.equals("baseline") ? new int[]{0, 1, 2, 3} : routed && q.index() == 1 ? new int[]{0, 1, 1, 2, 3} : new int[]{0, 1, 3};
                    float[][] logits = null;
                    if (routed) {
                        logits = new float[4][];
                        for (int l = 0; l < 4; l++) logits[l] = new float[]{l == 2 ? 1.25f : -0.5f * l, 2.0f - 0.1f * q.index(), -3.5f};
                    }
                    p.append(c, new Evaluator.Outcome(q.index(), q.id(), q.level(), q.index() != 2, "D", path,
                            LayerPath.of(4, path).counts(), 7L * path.length, 2, 1, 12.5, 3.25, logits));
                }
            }
        }
        byte[] b = Files.readAllBytes(tmp);
        Files.delete(tmp);
        return b;
    }

    /**
     * An edit-scan file as {@link ScanFile} writes it: a 4-layer, hidden-3 header with features
     * entering layers 1 and 3 and every {@link EditScan#candidates} path, then {@code n} questions
     * (levels 1..3 for DART), the last of which could not be evaluated.
     */
    static byte[] scanFile(String task, int n) {
        List<LayerPath> cs = EditScan.candidates(4);
        ScanHeader h = new ScanHeader(task, "models/drllm-tiny", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", 4, 3, "base", List.of(1, 3), cs);
        try {
            Path tmp = Files.createTempFile("seed", ".scan.jsonl");
            Files.delete(tmp);
            try (ScanFile f = ScanFile.openForAppend(tmp, h, new ArrayList<>())) {
                for (int i = 0; i < n; i++) {
                    int level = task.equals("dart") ? 1 + i % 3 : 0;
                    if (i == n - 1) {
                        f.append(new ScanRecord(task, i, task + "-" + i, level, null, null, "prompt of 70 tokens exceeds the context of 64"));
                        continue;
                    }
                    StringBuilder correct = new StringBuilder();
                    for (int c = 0; c < cs.size(); c++) correct.append((i * 3 + c) % 4 == 0 ? '0' : '1');
                    Map<Integer, float[]> feats = new LinkedHashMap<>();
                    for (int l : h.featureLayers()) feats.put(l, new float[]{i % 3 - 1f, 0.25f * l, (i * 7 % 5) / 8f});
                    f.append(new ScanRecord(task, i, task + "-" + i, level, correct.toString(), feats, null));
                }
            }
            byte[] b = Files.readAllBytes(tmp);
            Files.delete(tmp);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Two tiny tensors (f32 and bf16) and metadata. */
    static byte[] smallSafetensors() {
        return safetensors(new SafetensorsWriter().metadata("format", "pt")
                .add("x", DType.F32, new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6})
                .add("y", DType.BF16, new long[]{4}, new float[]{0.5f, -1, 2, 0}));
    }

    /** Routers for the 2-layer, hidden-16 model of {@link #SMALL_CONFIG}, with W stored. */
    static byte[] smallRouters() {
        SafetensorsWriter w = new SafetensorsWriter().metadata("drllm.windows", "8");
        for (int l = 0; l < 2; l++) {
            String p = "model.routers." + l + ".";
            float[] w1 = new float[4 * 16];
            for (int i = 0; i < w1.length; i++) w1[i] = (i % 7 - 3) * 0.1f;
            w.add(p + "linear1.weight", DType.F32, new long[]{4, 16}, w1);
            w.add(p + "linear1.bias", DType.F32, new long[]{4}, new float[4]);
            w.add(p + "linear2.weight", DType.BF16, new long[]{3, 4}, new float[]{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0});
            w.add(p + "linear2.bias", DType.F32, new long[]{3}, new float[]{0, 1, 0});
        }
        return safetensors(w);
    }

    private static byte[] safetensors(SafetensorsWriter w) {
        try {
            Path tmp = Files.createTempFile("seed", ".safetensors");
            w.write(tmp);
            byte[] b = Files.readAllBytes(tmp);
            Files.delete(tmp);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, List<byte[]>> seeds() throws IOException {
        Path p = Fixtures.projectDir();
        Map<String, List<byte[]>> s = new LinkedHashMap<>();
        s.put("safetensors", List.of(smallSafetensors(), smallRouters(), utf8("\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0000{}")));
        List<byte[]> configs = new ArrayList<>(List.of(utf8(SMALL_CONFIG), Files.readAllBytes(p.resolve("models/drllm-tiny/config.json"))));
        for (String m : Fixtures.HF_MODELS) configs.add(Files.readAllBytes(Fixtures.hfReference(m).resolve("config.json")));
        s.put("modelConfig", configs);
        s.put("checkpointIndex", List.of(utf8("{\"metadata\": {\"total_size\": 32}, \"weight_map\": {\"x\": \"a.safetensors\", \"y\": \"a.safetensors\"}}")));
        s.put("tokenizerJson", List.of(Files.readAllBytes(p.resolve("models/drllm-tiny/tokenizer.json")), utf8(MINIMAL_TOKENIZER)));
        s.put("tokenizerText", List.of(utf8("Question: Which number is even?\n(A) 99\n(B) 67\n(C) 33\n(D) 88\nAnswer: "),
                utf8("Question: 12+30=?\nAnswer: \\boxed{"), utf8("é€😀 <|endoftext|> \t\r\n ok"), new byte[]{(byte) 0xC3, 0x28, (byte) 0xFF}));
        s.put("routers", List.of(smallRouters()));
        List<String> arc = Files.readAllLines(p.resolve("data/tasks/arc-test.jsonl")).subList(0, 2);
        List<String> dart = Files.readAllLines(p.resolve("data/tasks/dart-test.jsonl")).subList(0, 2);
        s.put("datasetJsonl", List.of(prefixed(0, String.join("\n", arc) + "\n"), prefixed(1, String.join("\n", dart) + "\n")));
        String record = "{\"task\": \"arc\", \"index\": 0, \"id\": \"test-arc-0\", \"question\": \"Which number is even?\", \"gold\": \"D\","
                + " \"level\": 0, \"num_layers\": 16, \"original_correct\": true, \"best_path\": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,15],"
                + " \"good_paths\": [[0,1,2,3,4,5,6,7,8,9,10,11,12,13,15], [0,1,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]], \"simulations\": 50,"
                + " \"evaluations\": 12, \"seed\": 7, \"simulation_budget\": 50, \"original_reply\": \"D\", \"best_reply\": \"D\", \"seconds\": 0.5}";
        s.put("mctsResume", List.of(prefixed(0, record + "\n" + record.replace("\"index\": 0", "\"index\": 1") + "\n{\"task\": \"ar"),
                prefixed(1, record + "\n")));
        s.put("layerPath", List.of(utf8("0,1,1,3"), utf8("[0, 2, 2, 15]"), utf8("")));
        List<byte[]> templates = new ArrayList<>();
        try (var files = Files.list(p.resolve("src/test/resources/tokenizers/templates"))) {
            for (Path t : files.sorted().toList()) templates.add(Files.readAllBytes(t));
        }
        for (String m : List.of("llama3", "qwen3")) {
            Path cfg = p.resolve("src/test/resources/tokenizers").resolve(m).resolve("tokenizer_config.json");
            if (Files.exists(cfg)) templates.add(utf8(dev.drllm.util.Json.MAPPER.readTree(cfg.toFile()).path("chat_template").asText()));
        }
        templates.add(utf8("{% for m in messages %}{{ m['role'] }}: {{ m['content'] | trim }}\n{% endfor %}"
                + "{% if add_generation_prompt %}assistant:{% endif %}{{ raise_exception('x') if messages | length > 9 }}"));
        // resource loads, all refused (issue 22): the fuzzer starts from each tag and kind of name
        templates.add(utf8("{{ messages[0].content }}{% include 'dev/drllm/tokenizer/canary.txt' %}"));
        templates.add(utf8("{% import 'canary.txt' as c %}{% from '/etc/hostname' import x %}{{ x }}"));
        templates.add(utf8("{% extends 'file:canary.txt' %}{% for m in messages %}{% include m.role ~ '.jinja' %}{% endfor %}"));
        s.put("chatTemplate", templates);
        // scanFile's first byte: bit 0 torn tail not tolerated, bit 1 min-agreement 0.5, bits 2-3 --hold-out-last
        byte[] torn = utf8("{\"task\": \"arc\", \"index\": 9, \"id\": \"arc-9\", \"corr");
        s.put("scanFile", List.of(concat(new byte[]{0}, concat(scanFile("arc", 8), torn)), concat(new byte[]{7}, scanFile("dart", 12))));
        byte[] tornAnswer = utf8("{\"config\":\"routed\",\"index\":0,\"id\":\"test-arc-0\",\"level\":0,\"correct\":tr");
        s.put("evalProgress", List.of(evalProgress(List.of("baseline", "routed", "static skip-1")),
                concat(evalProgress(List.of("baseline")), tornAnswer)));
        s.put("shardManifest", List.of(utf8(SHARD_MANIFEST), utf8(SHARD_MANIFEST.replace("\"shard\": 1, \"shards\": 4", "\"shard\": 0, \"shards\": 1"))));
        return s;
    }

    /** A manifest as drllm mcts --shard 1/4 writes it (ParserFuzzTest.shardManifest). */
    static final String SHARD_MANIFEST = "{\"format\": \"drllm-shard/1\", \"job\": \"mcts\", \"shard\": 1, \"shards\": 4, \"items\": 10,"
            + " \"run\": {\"task\": \"arc\", \"model_fingerprint\": \"ab12\", \"num_layers\": 16, \"seed\": 0, \"simulations\": 50}}";

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static byte[] prefixed(int first, String rest) {
        byte[] r = utf8(rest);
        byte[] out = new byte[r.length + 1];
        out[0] = (byte) first;
        System.arraycopy(r, 0, out, 1, r.length);
        return out;
    }

    public static void main(String[] args) throws IOException {
        Path root = Fixtures.projectDir().resolve("src/test/resources/dev/drllm/fuzz/ParserFuzzTestInputs");
        Map<String, List<byte[]>> seeds = seeds();
        List<String> targets = List.of(ParserFuzzTest.TARGETS);
        for (Map.Entry<String, List<byte[]>> e : seeds.entrySet()) {
            int selector = targets.indexOf(e.getKey());
            if (selector < 0) throw new IllegalStateException("no target " + e.getKey());
            Files.createDirectories(root.resolve(e.getKey()));
            Files.createDirectories(root.resolve("allParsers"));
            for (int i = 0; i < e.getValue().size(); i++) {
                byte[] b = e.getValue().get(i);
                Files.write(root.resolve(e.getKey()).resolve("seed-" + i), b);
                byte[] all = new byte[b.length + 1];
                all[0] = (byte) selector;
                System.arraycopy(b, 0, all, 1, b.length);
                Files.write(root.resolve("allParsers").resolve("seed-" + e.getKey() + "-" + i), all);
            }
        }
        System.out.println("seeds written under " + root);
    }
}
