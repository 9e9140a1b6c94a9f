package dev.drllm.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.model.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU backend against transformers' float32 forward of the bf16 fixture checkpoints
 * (DESIGN.md §5: max abs difference ≤ 1e-4, identical greedy tokens).
 */
class GoldenFixtureTest {
    static final float TOL = 1e-4f;

    static int[] inputIds(SafetensorsFile ref) {
        long[] ids = ref.get("input_ids").toLongArray();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        float d = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(d <= TOL, what + ": max abs diff " + d + " > " + TOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void ownForwardLayerInputsAndFinalNorm(String name) {
        try (Model m = Model.load(Fixtures.hfReference(name)); CpuBackend b = new CpuBackend(m, 2);
             SafetensorsFile ref = Fixtures.reference(name)) {
            int[] ids = inputIds(ref);
            int L = m.config().numLayers();
            float[][] inputs = new float[L][];
            PathExecutor ex = new PathExecutor(b);
            float[] logits;
            float[] norm;
            try (KvCache cache = b.newCache(L, ids.length); Hidden x = b.embed(ids)) {
                LayerPath full = LayerPath.full(L);
                for (int s = 0; s < L; s++) {
                    inputs[s] = b.read(x);
                    b.block(full.layer(s), x, cache, s);
                }
                logits = b.logits(x, false);
                norm = b.finalNorm(x);
            }
            for (int l = 0; l < L; l++) assertClose(name + " layer_input." + l, ref.get("path.default.layer_input." + l).toFloatArray(), inputs[l]);
            assertClose(name + " final_norm", ref.get("path.default.final_norm").toFloatArray(), norm);
            assertClose(name + " logits", ref.get("logits").toFloatArray(), logits);
            try (KvCache cache = b.newCache(L, ids.length)) {
                assertClose(name + " executor logits", ref.get("logits").toFloatArray(), ex.forward(ids, LayerPath.full(L), cache, false));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void explicitPaths(String name) {
        JsonNode paths = Fixtures.referenceJson(name).get("paths");
        try (Model m = Model.load(Fixtures.hfReference(name)); CpuBackend b = new CpuBackend(m, 2);
             SafetensorsFile ref = Fixtures.reference(name)) {
            int[] ids = inputIds(ref);
            PathExecutor ex = new PathExecutor(b);
            for (String p : new String[]{"default", "skip2", "repeat1", "mixed"}) {
                int[] layers = new int[paths.get(p).size()];
                for (int i = 0; i < layers.length; i++) layers[i] = paths.get(p).get(i).asInt();
                LayerPath path = LayerPath.of(m.config().numLayers(), layers);
                try (KvCache cache = b.newCache(path.length(), ids.length)) {
                    assertClose(name + " path " + p + " " + path, ref.get("path." + p + ".logits").toFloatArray(), ex.forward(ids, path, cache, false));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void greedyGenerationWithKvCache(String name) {
        try (Model m = Model.load(Fixtures.hfReference(name)); CpuBackend b = new CpuBackend(m, 2);
             SafetensorsFile ref = Fixtures.reference(name)) {
            int[] ids = inputIds(ref);
            long[] expTok = ref.get("generate.tokens").toLongArray();
            float[] expLogits = ref.get("generate.logits").toFloatArray();
            int V = m.config().vocabSize();
            Generator g = new Generator(b);
            float[] stepLogits = new float[expTok.length * V];
            int[] step = {0};
            // record each step's logits by wrapping the fixed-path prefill and decode
            Prefill recording = (executor, prompt, cache) -> {
                float[] l = executor.forward(prompt, LayerPath.full(m.config().numLayers()), cache, true);
                System.arraycopy(l, 0, stepLogits, 0, V);
                step[0] = 1;
                return new Prefill.Result(LayerPath.full(m.config().numLayers()), l, null);
            };
            GenerationResult r = g.generate(ids, recording, GenerationOptions.greedy(expTok.length, Set.of()));
            int[] exp = new int[expTok.length];
            for (int i = 0; i < exp.length; i++) exp[i] = (int) expTok[i];
            assertArrayEquals(exp, r.ids(), name + " greedy tokens");
            // decode-step logits: recompute with an explicit incremental loop
            try (KvCache cache = b.newCache(m.config().numLayers(), ids.length + exp.length)) {
                PathExecutor ex = new PathExecutor(b);
                LayerPath full = LayerPath.full(m.config().numLayers());
                float[] l = ex.forward(ids, full, cache, true);
                for (int i = 0; i < exp.length; i++) {
                    float[] expRow = java.util.Arrays.copyOfRange(expLogits, i * V, (i + 1) * V);
                    assertClose(name + " generate step " + i, expRow, l);
                    l = ex.forward(new int[]{exp[i]}, full, cache, true);
                }
            }
        }
    }
}
