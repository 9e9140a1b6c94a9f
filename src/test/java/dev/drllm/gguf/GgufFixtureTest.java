package dev.drllm.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGUF files written by llama.cpp's converter and quantizer (src/test/resources/fixtures/gguf):
 * drllm loads every architecture and weight type, and its greedy tokens agree with llama.cpp's.
 */
class GgufFixtureTest {
    static final String[] TYPES = {"f32", "f16", "q8_0", "q4_0", "q4_k_m"};

    static Path gguf(String arch, String type) {
        return Fixtures.projectDir().resolve("src/test/resources/fixtures/gguf").resolve(arch + "." + type + ".gguf");
    }

    static JsonNode expect(String arch, String type) {
        try {
            return Json.MAPPER.readTree(gguf(arch, type).resolveSibling(arch + "." + type + ".expect.json").toFile());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static Stream<Arguments> files() {
        List<Arguments> out = new ArrayList<>();
        for (String a : Fixtures.HF_MODELS) for (String t : TYPES) out.add(Arguments.of(a, t));
        return out.stream();
    }

    static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }

    /**
     * llama.cpp rounds activations to the weight type in its matrix products (f16 / q8 activations), drllm
     * keeps them in f32; on these random models, whose top logits sit close together, a continuation may
     * therefore part after a few tokens. F32 files must agree entirely; elsewhere the first token must
     * agree unless llama.cpp's pick is within 2% of the logit range of drllm's (a near-tie: 2 of 60
     * cases), and at least half of all tokens must agree before the first difference.
     */
    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("files")
    void greedyTokensAgreeWithLlamaCpp(String arch, String type) {
        JsonNode cases = expect(arch, type);
        int same = 0, total = 0;
        StringBuilder report = new StringBuilder();
        try (Model m = Model.load(gguf(arch, type)); CpuBackend b = new CpuBackend(m, 2)) {
            Generator g = new Generator(b);
            for (JsonNode c : cases) {
                int[] ids = ints(c.get("ids"));
                int[] exp = ints(c.get("greedy"));
                GenerationResult r = g.generate(ids, dev.drllm.runtime.Prefill.fixed(LayerPath.full(m.config().numLayers())), GenerationOptions.greedy(exp.length, m.stopTokens()));
                int[] got = r.ids();
                assertTrue(got.length > 0, "no token generated");
                if (got[0] != exp[0]) {
                    // a near-tie: llama.cpp's first token must be within 2% of the logit range of drllm's choice
                    float[] l;
                    try (KvCache kv = b.newCache(m.config().numLayers(), ids.length)) {
                        l = new PathExecutor(b).forward(ids, LayerPath.full(m.config().numLayers()), kv, true);
                    }
                    float min = Float.POSITIVE_INFINITY;
                    for (float v : l) min = Math.min(min, v);
                    float gap = l[got[0]] - l[exp[0]], range = l[got[0]] - min;
                    assertTrue(!"f32".equals(type) && gap <= 0.02f * range, arch + "." + type + " " + c.get("id").asText() + ": first token "
                            + Arrays.toString(got) + " vs llama.cpp " + Arrays.toString(exp) + ", logit gap " + gap + " of range " + range);
                    report.append("(first token a near-tie: gap ").append(gap).append(" of ").append(range).append(") ");
                }
                if ("f32".equals(type)) assertArrayEquals(exp, got, arch + "." + type + " " + c.get("id").asText());
                int agree = 0;
                while (agree < Math.min(exp.length, got.length) && exp[agree] == got[agree]) agree++;
                same += agree;
                total += exp.length;
                report.append(c.get("id").asText()).append(": ").append(agree).append('/').append(exp.length).append("  ");
            }
        }
        System.out.println(arch + "." + type + " tokens agreeing with llama.cpp before the first difference: " + report);
        assertTrue(same * 2 >= total, arch + "." + type + ": only " + same + " of " + total + " tokens agree before diverging: " + report);
    }

    /** The F32 files hold the bf16 checkpoints' values exactly: logits match transformers' reference. */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void f32LogitsMatchTransformers(String arch) {
        try (Model m = Model.load(gguf(arch, "f32")); CpuBackend b = new CpuBackend(m, 2); SafetensorsFile ref = Fixtures.reference(arch)) {
            long[] idsL = ref.get("input_ids").toLongArray();
            int[] ids = new int[idsL.length];
            for (int i = 0; i < ids.length; i++) ids[i] = (int) idsL[i];
            int L = m.config().numLayers();
            try (KvCache cache = b.newCache(L, ids.length)) {
                float[] got = new PathExecutor(b).forward(ids, LayerPath.full(L), cache, false);
                float d = Fixtures.maxAbsDiff(ref.get("logits").toFloatArray(), got);
                // transformers rounds RoPE frequencies to bf16 for a bf16 checkpoint, llama.cpp (and drllm on a GGUF) keeps f32
                assertTrue(d < 2e-2, arch + ": max abs logit difference " + d);
            }
        }
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("files")
    void configFromMetadata(String arch, String type) {
        try (Model m = Model.load(gguf(arch, type)); Model hf = Model.load(Fixtures.hfReference(arch))) {
            var a = m.config();
            var h = hf.config();
            assertEquals(h.architecture(), a.architecture());
            assertEquals(h.hiddenSize(), a.hiddenSize());
            assertEquals(h.numLayers(), a.numLayers());
            assertEquals(h.numHeads(), a.numHeads());
            assertEquals(h.numKvHeads(), a.numKvHeads());
            assertEquals(h.headDim(), a.headDim());
            assertEquals(h.intermediateSize(), a.intermediateSize());
            assertEquals(h.vocabSize(), a.vocabSize());
            assertEquals(h.tieEmbeddings(), a.tieEmbeddings());
            assertEquals(h.rmsNormEps(), a.rmsNormEps(), 1e-12);
            assertEquals(h.rope().theta(), a.rope().theta(), 1e-3);
            assertEquals(h.qkvBias(), a.qkvBias());
        }
    }
}
