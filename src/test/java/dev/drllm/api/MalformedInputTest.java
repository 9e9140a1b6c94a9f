package dev.drllm.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.model.DType;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One malformed model directory per row, each loaded through the facade: every row must fail with
 * {@link ModelLoadException} naming the file (and tensor) and a message fragment saying what is
 * wrong — never another exception type, an OutOfMemoryError, a hang or a model that loads.
 */
class MalformedInputTest {
    @FunctionalInterface
    interface Setup {
        void apply(Path dir) throws IOException;
    }

    /** A row: how to break a valid directory, the file blamed, the tensor blamed (or null), a message fragment. */
    record Case(String name, Setup setup, String file, String tensor, String fragment) {
        @Override
        public String toString() { return name; }
    }

    static final String EMBED = "model.embed_tokens.weight";
    static final String NORM0 = "model.layers.0.input_layernorm.weight";

    static List<Case> cases() {
        String st = "model.safetensors", cfg = "config.json";
        return List.of(
                // safetensors framing
                new Case("empty file", d -> Files.write(d.resolve(st), new byte[0]), st, null, "truncated file: 0 bytes"),
                new Case("7-byte file", d -> Files.write(d.resolve(st), new byte[7]), st, null, "truncated file: 7 bytes"),
                new Case("truncated data section", d -> truncate(d.resolve(st), 0.6), st, null, "truncated file?"),
                new Case("huge header length", d -> headerLength(d.resolve(st), 1L << 62), st, null, "header length 4611686018427387904 is invalid"),
                new Case("negative header length", d -> headerLength(d.resolve(st), -1L), st, null, "header length 18446744073709551615 is invalid"),
                new Case("header length past the end", d -> rawHeader(d, "{}".getBytes(StandardCharsets.UTF_8), 1000, 0), st, null, "runs past the end"),
                new Case("header not JSON", d -> rawHeader(d, "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8), -1, 0), st, null, "header is not valid JSON"),
                new Case("header invalid UTF-8", d -> rawHeader(d, new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, -1, 0),
                        st, null, "not valid UTF-8 (file byte offset 10)"),
                new Case("header overlong UTF-8 encoding", d -> rawHeader(d, new byte[]{'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'}, -1, 0),
                        st, null, "not valid UTF-8"),
                new Case("header deeply nested", d -> rawHeader(d, ("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
                        .getBytes(StandardCharsets.UTF_8), -1, 0), st, null, "nesting depth"),
                new Case("header is an array", d -> rawHeader(d, "[1, 2]".getBytes(StandardCharsets.UTF_8), -1, 0), st, null, "not a JSON object"),
                new Case("entry not an object", d -> mutateHeader(d, h -> h.put(EMBED, 3)), st, EMBED, "header entry is not an object"),
                // tensor entries
                new Case("negative data offset", d -> mutateHeader(d, h -> offsets(h, EMBED, -4, 4092)), st, EMBED, "invalid data_offsets [-4, 4092]"),
                new Case("end before begin", d -> mutateHeader(d, h -> offsets(h, EMBED, 64, 0)), st, EMBED, "invalid data_offsets [64, 0]"),
                new Case("offsets past the data", d -> mutateHeader(d, h -> offsets(h, EMBED, 0, 1L << 40)), st, EMBED, "out of range"),
                new Case("offsets not integers", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).putArray("data_offsets").add(0.5).add(4096)),
                        st, EMBED, "data_offsets must be two integers"),
                new Case("overlapping tensors", d -> mutateHeader(d, h -> {
                    long[] a = offsetsOf(h, NORM0);
                    offsets(h, "model.layers.0.post_attention_layernorm.weight", a[0], a[1]);
                }), st, null, "overlap"),
                new Case("unknown dtype", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).put("dtype", "Q4_K")), st, EMBED, "unknown dtype 'Q4_K'"),
                new Case("integer weight", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).put("dtype", "I32")), st, EMBED, "unsupported weight dtype I32"),
                new Case("dtype size mismatch", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).put("dtype", "BF16")), st, EMBED, "does not match dtype BF16"),
                new Case("negative shape", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).putArray("shape").add(-64).add(-16)), st, EMBED,
                        "not a non-negative integer"),
                new Case("shape overflow", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).putArray("shape").add(1L << 40).add(1L << 40)), st, EMBED,
                        "shape overflows"),
                new Case("shape disagrees with config", d -> mutateHeader(d, h -> ((ObjectNode) h.get(EMBED)).putArray("shape").add(16).add(64)),
                        st, EMBED, "shape mismatch: expected [64, 16], found [16, 64]"),
                new Case("missing tensor", d -> mutateHeader(d, h -> h.remove("model.norm.weight")), st, "model.norm.weight", "missing tensor"),
                new Case("metadata not an object", d -> mutateHeader(d, h -> h.put("__metadata__", "x")), st, null, "__metadata__ is not an object"),
                // non-finite weights
                new Case("NaN in a norm", d -> poke(d, NORM0, 3, Float.NaN), st, NORM0, "non-finite value NaN at element 3"),
                new Case("infinity in the final norm", d -> poke(d, "model.norm.weight", 0, Float.POSITIVE_INFINITY), st,
                        "model.norm.weight", "non-finite value Infinity at element 0"),
                // config.json
                new Case("config missing", d -> Files.delete(d.resolve(cfg)), cfg, null, "file not found"),
                new Case("config invalid UTF-8", d -> Files.write(d.resolve(cfg), new byte[]{'{', '"', (byte) 0xFF, '"', ':', '1', '}'}), cfg, null,
                        "Invalid UTF-8"),
                new Case("config truncated", d -> Files.writeString(d.resolve(cfg), TestModels.config().substring(0, 100)), cfg, null, "not valid JSON"),
                new Case("config deeply nested", d -> Files.writeString(d.resolve(cfg), "{\"x\":" + "{\"y\":".repeat(50_000) + "1" + "}".repeat(50_001)),
                        cfg, null, "nesting depth"),
                new Case("config not an object", d -> Files.writeString(d.resolve(cfg), "[]"), cfg, null, "not a JSON object"),
                new Case("unsupported architecture", d -> config(d, "\"llama\"", "\"mamba\"").config(d, "LlamaForCausalLM", "MambaForCausalLM"), cfg, null, "unsupported architecture"),
                new Case("hidden_size a string", d -> config(d, "\"hidden_size\": 16", "\"hidden_size\": \"16\""), cfg, null,
                        "'hidden_size' must be a positive integer"),
                new Case("negative layer count", d -> config(d, "\"num_hidden_layers\": 2", "\"num_hidden_layers\": -2"), cfg, null,
                        "'num_hidden_layers' must be a positive integer"),
                new Case("huge layer count", d -> config(d, "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 2147483647"), st,
                        "model.layers.2.input_layernorm.weight", "missing tensor"),
                new Case("head width overflows int", d -> config(d, "\"num_attention_heads\": 2", "\"num_attention_heads\": 65536")
                        .config(d, "\"head_dim\": 8", "\"head_dim\": 65536").config(d, "\"num_key_value_heads\": 1", "\"num_key_value_heads\": 65536"),
                        cfg, null, "too large"),
                new Case("odd head_dim", d -> config(d, "\"head_dim\": 8", "\"head_dim\": 7"), cfg, null, "must be even"),
                new Case("unknown rope type", d -> config(d, "\"rope_theta\": 10000.0", "\"rope_scaling\": {\"rope_type\": \"yarn2\"}"), cfg, null,
                        "unsupported rope type 'yarn2'"),
                new Case("rms_norm_eps zero", d -> config(d, "\"rms_norm_eps\": 1e-5", "\"rms_norm_eps\": 0"), cfg, null, "rms_norm_eps must be a positive number"),
                new Case("generation_config not JSON", d -> Files.writeString(d.resolve("generation_config.json"), "{eos"), "generation_config.json", null,
                        "not valid JSON"),
                // sharded index
                new Case("index shard escapes the directory", d -> index(d, "../model.safetensors"), "model.safetensors.index.json", EMBED,
                        "leaves the checkpoint directory"),
                new Case("index shard missing", d -> index(d, "model-00002.safetensors"), "model.safetensors.index.json", EMBED, "does not exist"),
                new Case("index without weight_map", d -> Files.writeString(d.resolve("model.safetensors.index.json"), "{\"metadata\": {}}"),
                        "model.safetensors.index.json", null, "missing 'weight_map'"),
                new Case("no weights at all", d -> Files.delete(d.resolve(st)), "", null, "no model.safetensors"),
                // tokenizer.json (loaded with the model when present)
                new Case("tokenizer not JSON", d -> Files.writeString(d.resolve("tokenizer.json"), "{\"model\": "), "tokenizer.json", null, "not valid JSON"),
                new Case("tokenizer deeply nested", d -> Files.writeString(d.resolve("tokenizer.json"), "[".repeat(10_000)), "tokenizer.json", null,
                        "nesting depth"),
                new Case("tokenizer with truncation", d -> Files.writeString(d.resolve("tokenizer.json"), "{\"truncation\": {\"max_length\": 8}}"),
                        "tokenizer.json", "truncation", "silently shorten"),
                // routers.safetensors (loaded with the model when present)
                new Case("routers for another model", d -> routers(d, 3, 16, Float.NaN), "routers.safetensors", "model.routers.2.linear1.weight",
                        "the model has 2 layers"),
                new Case("routers with a NaN weight", d -> routers(d, 2, 16, Float.NaN), "routers.safetensors", "model.routers.0.linear1.weight",
                        "non-finite value NaN at element 0"),
                new Case("routers of another width", d -> routers(d, 2, 12, 0.5f), "routers.safetensors", "model.routers.0.linear1.weight",
                        "does not match the model's hidden size 16"),
                new Case("routers file not safetensors", d -> Files.writeString(d.resolve("routers.safetensors"), "not a safetensors file"),
                        "routers.safetensors", null, "header length"));
    }

    /** Routers for {@code layers} layers of input size {@code hidden}; element 0 of layer 0's first weight set to {@code first}. */
    static void routers(Path d, int layers, int hidden, float first) throws IOException {
        dev.drllm.model.SafetensorsWriter w = new dev.drllm.model.SafetensorsWriter();
        for (int l = 0; l < layers; l++) {
            String p = "model.routers." + l + ".";
            float[] w1 = new float[8 * hidden];
            if (l == 0) w1[0] = first;
            w.add(p + "linear1.weight", DType.F32, new long[]{8, hidden}, w1);
            w.add(p + "linear1.bias", DType.F32, new long[]{8}, new float[8]);
            w.add(p + "linear2.weight", DType.F32, new long[]{3, 8}, new float[24]);
            w.add(p + "linear2.bias", DType.F32, new long[]{3}, new float[3]);
        }
        w.write(d.resolve("routers.safetensors"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachMalformedInputHasItsTypedError(Case c, @TempDir Path tmp) throws IOException {
        Path dir = TestModels.write(tmp.resolve("m"), 1);
        c.setup().apply(dir);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> DrLlm.load(dir, LoadOptions.defaults().withThreads(1)).close(), c.name());
        String msg = e.getMessage();
        assertTrue(msg.contains(c.fragment()), c.name() + ": message '" + msg + "' lacks '" + c.fragment() + "'");
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertNotNull(e.file(), c.name());
        assertEquals(dir.resolve(c.file()).normalize(), e.file().normalize(), c.name() + ": " + msg);
        if (c.tensor() != null) assertEquals(c.tensor(), e.tensor(), c.name() + ": " + msg);
    }

    @Test
    void nanInAnEmbeddingRowIsCaughtAsNanLogitsOrAtLoadWithTheFullScan(@TempDir Path tmp) {
        Map<String, float[]> w = TestModels.weights(3);
        w.get(EMBED)[5 * TestModels.HIDDEN + 2] = Float.NaN;
        Path dir = TestModels.write(tmp.resolve("m"), TestModels.config(), w, DType.BF16);
        try (DrLlm llm = DrLlm.load(dir, LoadOptions.defaults().withThreads(1))) {
            // the embeddings are tied, so the bad row is also the LM-head row of token 5: every logits row has a NaN
            NumericalException e = assertThrows(NumericalException.class, () -> llm.generate(GenerateRequest.ofIds(1, 2, 3).withMaxNewTokens(4)));
            assertTrue(e.getMessage().contains("non-finite logit NaN at vocabulary index 5"), e.getMessage());
            assertEquals(0, llm.memoryInUse(), "a failed generation releases its cache");
            try (Session session = llm.openSession(); TokenStream ts = session.stream(GenerateRequest.ofIds(1, 2).withMaxNewTokens(2))) {
                assertThrows(NumericalException.class, ts::hasNext);
                assertFalse(ts.hasNext());
                assertEquals(GenerateResult.StopReason.ERROR, ts.result().stopReason());
            }
        }
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> DrLlm.load(dir, LoadOptions.defaults().withThreads(1).withWeightCheck(LoadOptions.WeightCheck.ALL)));
        assertEquals(EMBED, e.tensor());
        assertTrue(e.getMessage().contains("element " + (5 * TestModels.HIDDEN + 2)), e.getMessage());
    }

    // --- helpers that break one thing ---

    static void truncate(Path f, double keep) throws IOException {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, (int) (b.length * keep)));
    }

    static void headerLength(Path f, long n) throws IOException {
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
        Files.write(f, b);
    }

    /** A file with the given header bytes; {@code declared} overrides the length field when >= 0. */
    static void rawHeader(Path d, byte[] header, long declared, int dataBytes) throws IOException {
        byte[] b = TestModels.rawSafetensors(header, dataBytes);
        if (declared >= 0) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, declared);
        Files.write(d.resolve("model.safetensors"), b);
    }

    /** Rewrites the JSON header of the valid file, keeping its data section. */
    static void mutateHeader(Path d, Consumer<ObjectNode> edit) throws IOException {
        Path f = d.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ObjectNode h = (ObjectNode) Json.MAPPER.readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
        edit.accept(h);
        byte[] nh = Json.MAPPER.writeValueAsBytes(h);
        ByteBuffer out = ByteBuffer.allocate(8 + nh.length + b.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(nh.length).put(nh).put(b, 8 + (int) n, b.length - 8 - (int) n);
        Files.write(f, out.array());
    }

    static void offsets(ObjectNode h, String name, long begin, long end) {
        ((ObjectNode) h.get(name)).putArray("data_offsets").add(begin).add(end);
    }

    static long[] offsetsOf(ObjectNode h, String name) {
        var o = h.get(name).get("data_offsets");
        return new long[]{o.get(0).asLong(), o.get(1).asLong()};
    }

    /** Rewrites the (seed 1) weights with one element of one tensor replaced. */
    static void poke(Path d, String tensor, int element, float value) {
        Map<String, float[]> w = TestModels.weights(1);
        w.get(tensor)[element] = value;
        TestModels.write(d, TestModels.config(), w, DType.F32);
    }

    static ConfigEdit config(Path d, String from, String to) throws IOException {
        return new ConfigEdit().config(d, from, to);
    }

    /** Chains textual replacements in config.json (each must match). */
    static final class ConfigEdit {
        ConfigEdit config(Path d, String from, String to) throws IOException {
            String s = Files.readString(d.resolve("config.json"));
            if (!s.contains(from)) throw new AssertionError("config has no '" + from + "'");
            Files.writeString(d.resolve("config.json"), s.replace(from, to));
            return this;
        }
    }

    static void index(Path d, String shard) throws IOException {
        StringBuilder sb = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        boolean first = true;
        for (String name : TestModels.shapes().keySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"').append(name).append("\": \"").append(name.equals(EMBED) ? shard : "model.safetensors").append('"');
        }
        Files.writeString(d.resolve("model.safetensors.index.json"), sb.append("}}").toString());
    }
}
