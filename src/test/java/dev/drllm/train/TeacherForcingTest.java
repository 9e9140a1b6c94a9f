package dev.drllm.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeacherForcingTest {
    /**
     * The reference's {@code router.decision_logits} are the routers run on the hidden state
     * entering each layer along the routed path — including the skipped layer, whose state is the
     * one the path carries past it. Teacher forcing on that path must reproduce them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void routedPathFeaturesReproduceTheReferenceDecisionLogits(String name) {
        try (Model m = Model.load(Fixtures.hfReference(name)); CpuBackend b = new CpuBackend(m, 2);
             SafetensorsFile ref = Fixtures.reference(name)) {
            JsonNode json = Fixtures.referenceJson(name);
            int L = m.config().numLayers(), H = m.config().hiddenSize();
            int[] path = new int[json.get("paths").get("router_executed_path").size()];
            for (int i = 0; i < path.length; i++) path[i] = json.get("paths").get("router_executed_path").get(i).asInt();
            long[] idsL = ref.get("input_ids").toLongArray();
            int[] ids = Arrays.stream(idsL).mapToInt(Math::toIntExact).toArray();
            WindowPooling pooling = WindowPooling.windowed(json.get("num_windows").asInt());
            float[] feats = TeacherForcing.features(b, pooling, ids, LayerPath.of(L, path));
            int nw = pooling.windowCount(ids.length);
            float[] expected = ref.get("router.decision_logits").toFloatArray();
            for (int l = 0; l < L; l++) {
                String p = "model.routers." + l + ".";
                int R = json.get("router_hidden").asInt();
                TrainableRouter r = new TrainableRouter(new dev.drllm.routing.Router(H, R, ref.get(p + "linear1.weight").toFloatArray(),
                        ref.get(p + "linear1.bias").toFloatArray(), ref.get(p + "linear2.weight").toFloatArray(), ref.get(p + "linear2.bias").toFloatArray()));
                float[] out = new float[3];
                r.forward(feats, l * nw * H, nw, out, 0, new TrainableRouter.Gradients(r));
                // Same 1e-4 budget as the hidden states (DESIGN.md §5 routing row).
                assertArrayEquals(Arrays.copyOfRange(expected, l * 3, l * 3 + 3), out, 1e-4f, name + " layer " + l);
            }
        }
    }

    /** Skipped layers share the state the path carries past them; trailing skips get the final state. */
    @Test
    void skippedLayersSeeTheCarriedState() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 2)) {
            int L = m.config().numLayers(), H = m.config().hiddenSize();
            Random rnd = new Random(3);
            int[] prompt = new int[13];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 1 + rnd.nextInt(500);
            int[] counts = new int[L];
            Arrays.fill(counts, 1);
            counts[2] = 0;
            counts[3] = 2;
            counts[L - 2] = 0;
            counts[L - 1] = 0;
            LayerPath path = LayerPath.fromCounts(counts);
            WindowPooling pooling = WindowPooling.windowed(8);
            float[] feats = TeacherForcing.features(b, pooling, prompt, path);
            int per = 8 * H;
            // Reference: run the path slot by slot and pool the state before each slot and at the end.
            float[][] before = new float[path.length() + 1][];
            try (KvCache cache = b.newCache(path.length(), prompt.length); Hidden x = b.embed(prompt)) {
                for (int s = 0; s < path.length(); s++) {
                    before[s] = pooling.windowMeans(b.read(x), prompt.length, H);
                    b.block(path.layer(s), x, cache, s);
                }
                before[path.length()] = pooling.windowMeans(b.read(x), prompt.length, H);
            }
            int[] layers = path.layers();
            for (int l = 0; l < L; l++) {
                int slot = path.length();
                for (int s = 0; s < layers.length; s++) if (layers[s] >= l) { slot = s; break; }
                // Two runs of the same blocks: bit-identical once the Vector API kernels are compiled, but an
                // interpreted first run may round differently (no fused multiply-add), ~1e-7 on O(1) values.
                assertArrayEquals(before[slot], Arrays.copyOfRange(feats, l * per, (l + 1) * per), 1e-5f, "layer " + l);
            }
            // Layer 2 is skipped: it sees the same state as layer 3's first pass.
            assertArrayEquals(Arrays.copyOfRange(feats, 2 * per, 3 * per), Arrays.copyOfRange(feats, 3 * per, 4 * per));
            assertTrue(!Arrays.equals(Arrays.copyOfRange(feats, 3 * per, 4 * per), Arrays.copyOfRange(feats, 4 * per, 5 * per)));
            assertEquals(L * per, feats.length);
        }
    }
}
