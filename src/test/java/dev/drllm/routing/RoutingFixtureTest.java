package dev.drllm.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Prefill;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routed prefill against the reference's random routers on every HF fixture (DESIGN.md §5,
 * routing row): decision logits and final logits within 1e-4 max abs, identical executed path.
 * 1e-4 is the engine's f32 tolerance: the reference ran in f32 from the same bf16 weights, so the
 * only differences are summation order (~1e-6 relative), amplified by the layers.
 */
class RoutingFixtureTest {
    static final float TOL = 1e-4f;

    static int[] inputIds(SafetensorsFile ref) {
        long[] ids = ref.get("input_ids").toLongArray();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void routedPrefillMatchesReference(String name) {
        JsonNode json = Fixtures.referenceJson(name);
        try (Model m = Model.load(Fixtures.hfReference(name)); CpuBackend b = new CpuBackend(m, 2);
             SafetensorsFile ref = Fixtures.reference(name)) {
            int L = m.config().numLayers();
            int[] ids = inputIds(ref);
            Routers routers = Routers.load(ref.path(), m.config(), json.get("num_windows").asInt());
            assertEquals(json.get("router_hidden").asInt(), routers.get(0).routerHidden());
            RoutedPrefill prefill = new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, DecisionRule.argmax(), false);
            Prefill.Result r;
            try (KvCache cache = b.newCache(2 * L, ids.length)) {
                r = prefill.run(new PathExecutor(b), ids, cache);
            }
            RoutingDecision d = (RoutingDecision) r.details();
            float[] expLogits = ref.get("router.decision_logits").toFloatArray();
            float[] got = new float[L * 3];
            for (int l = 0; l < L; l++) System.arraycopy(d.decisionLogits()[l], 0, got, l * 3, 3);
            float diff = Fixtures.maxAbsDiff(expLogits, got);
            System.out.printf("%s: decision logits max abs diff %.3g%n", name, diff);
            assertTrue(diff <= TOL, name + " decision logits: max abs diff " + diff);

            JsonNode p = json.get("paths").get("router_executed_path");
            int[] expPath = new int[p.size()];
            for (int i = 0; i < expPath.length; i++) expPath[i] = p.get(i).asInt();
            assertArrayEquals(expPath, r.path().layers(), name + " executed path");
            assertEquals(LayerPath.of(L, expPath), d.executedPath());

            float ld = Fixtures.maxAbsDiff(ref.get("router.logits").toFloatArray(), r.lastLogits());
            System.out.printf("%s: routed logits max abs diff %.3g, path %s%n", name, ld, r.path());
            assertTrue(ld <= TOL, name + " routed logits: max abs diff " + ld);
            assertEquals(Math.min(8, ids.length), d.windows());
            assertEquals(L - expPath.length, d.layersSaved());
        }
    }
}
