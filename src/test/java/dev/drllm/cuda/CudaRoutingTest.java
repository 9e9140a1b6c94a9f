package dev.drllm.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.routing.RoutingDecision;
import dev.drllm.routing.DecisionRule;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Prefill;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routed prefill on the CUDA backend: device pooling against the host reference, the fixtures'
 * reference routers, static routing against the plain CUDA forward, and the tiny model's routed
 * paths against the CPU backend's.
 *
 * Tolerance: the CUDA backend is within a few 1e-2 of the f32 reference on the fixture logits
 * (bf16 KV / GEMM inputs, see CudaBackendTest); decision logits come from pooled hidden states
 * that carry the same relative error, so they get 3e-2 × max(1, |reference|). A decision is only
 * required to match where its top-2 margin exceeds twice that; near-ties may legitimately flip.
 */
class CudaRoutingTest {
    @BeforeEach
    void gpu() {
        Gpu.assume();
    }

    static final double REL = 3e-2;

    @Test
    void devicePoolingMatchesHost() {
        try (Model m = Model.load(Fixtures.tinyModel()); CudaBackend b = new CudaBackend(m)) {
            int H = m.config().hiddenSize();
            Random rnd = new Random(1);
            for (int T : new int[]{1, 3, 8, 23, 100, 257}) {
                float[] data = Gpu.random(rnd, T * H, 1f);
                try (Hidden x = b.upload(data, T)) {
                    for (int W : new int[]{1, 4, 8, 16}) {
                        WindowPooling p = WindowPooling.windowed(W);
                        int nw = p.windowCount(T), ws = p.windowSize(T);
                        float[] host = Backend.windowMeans(data, H, nw, ws);
                        float d = Fixtures.maxAbsDiff(host, b.windowMeans(x, nw, ws));
                        // f32 sums of up to 257 unit-scale values: ~1e-6 relative rounding
                        assertTrue(d <= 1e-5f, "T=" + T + " W=" + W + ": max abs diff " + d);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3"})
    void fixtureRoutersOnCuda(String name) {
        JsonNode json = Fixtures.referenceJson(name);
        try (Model m = Model.load(Fixtures.hfReference(name)); CudaBackend b = new CudaBackend(m);
             SafetensorsFile ref = Fixtures.reference(name)) {
            int L = m.config().numLayers(), V = m.config().vocabSize();
            long[] l = ref.get("input_ids").toLongArray();
            int[] ids = new int[l.length];
            for (int i = 0; i < ids.length; i++) ids[i] = (int) l[i];
            Routers routers = Routers.load(ref.path(), m.config(), json.get("num_windows").asInt());
            Prefill.Result r;
            try (KvCache cache = b.newCache(2 * L, ids.length)) {
                r = new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, DecisionRule.argmax(), false).run(new PathExecutor(b), ids, cache);
            }
            RoutingDecision d = (RoutingDecision) r.details();
            float[] want = ref.get("router.decision_logits").toFloatArray();
            boolean clear = true;
            for (int layer = 0; layer < L; layer++) {
                float[] w = java.util.Arrays.copyOfRange(want, layer * 3, layer * 3 + 3);
                float tol = (float) (REL * Math.max(1f, Gpu.maxAbs(w)));
                float diff = Fixtures.maxAbsDiff(w, d.decisionLogits()[layer]);
                System.out.printf("[cuda] routing %s layer %d: decision logits max abs diff %.3g (tol %.3g)%n", name, layer, diff, tol);
                assertTrue(diff <= tol, name + " layer " + layer + " decision logits diff " + diff);
                float[] s = w.clone();
                java.util.Arrays.sort(s);
                if (s[2] - s[1] <= 2 * tol) clear = false;
            }
            String expPath = json.get("paths").get("router_executed_path").toString().replace(" ", "");
            System.out.printf("[cuda] routing %s: path %s (reference %s)%n", name, r.path(), expPath);
            if (clear) {
                assertEquals(expPath, "[" + r.path() + "]");
                float[] refLogits = ref.get("router.logits").toFloatArray();
                float scale = Math.max(1f, Gpu.maxAbs(refLogits));
                float diff = Fixtures.maxAbsDiff(refLogits, r.lastLogits());
                System.out.printf("[cuda] routing %s: routed logits max abs diff %.3g (tol %.3g)%n", name, diff, REL * scale);
                assertTrue(diff <= REL * scale);
            }
        }
    }

    @Test
    void staticRoutingIsThePlainCudaForward() {
        try (Model m = Model.load(Fixtures.tinyModel()); CudaBackend b = new CudaBackend(m)) {
            int L = m.config().numLayers();
            int[] prompt = new Random(2).ints(40, 0, m.config().vocabSize()).toArray();
            float[] plain;
            try (KvCache cache = b.newCache(L, prompt.length)) {
                plain = new PathExecutor(b).forward(prompt, LayerPath.full(L), cache, false);
            }
            Routers routers = Routers.xavier(L, m.config().hiddenSize(), 128, 8, 3);
            Prefill.Result r;
            try (KvCache cache = b.newCache(2 * L, prompt.length)) {
                r = new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, DecisionRule.staticAll(), false).run(new PathExecutor(b), prompt, cache);
            }
            float d = Fixtures.maxAbsDiff(plain, r.lastLogits());
            System.out.printf("[cuda] static routing vs plain forward: max abs diff %.3g%n", d);
            assertArrayEquals(plain, r.lastLogits(), "static routing must run exactly the plain forward");
        }
    }

    /** Tiny model, routers with strong biases: CUDA and CPU choose the same paths where decisions are clear. */
    @Test
    void tinyModelPathsMatchCpu() {
        try (Model m = Model.load(Fixtures.tinyModel()); CudaBackend gpu = new CudaBackend(m); CpuBackend cpu = new CpuBackend(m)) {
            int L = m.config().numLayers(), V = m.config().vocabSize();
            Random rnd = new Random(4);
            int compared = 0, same = 0;
            for (int it = 0; it < 12; it++) {
                Routers routers = dev.drllm.routing.RoutedPrefillTest.withRandomOutputBias(
                        Routers.xavier(L, m.config().hiddenSize(), 128, 8, it), rnd, 2f);
                int[] prompt = rnd.ints(5 + rnd.nextInt(60), 0, V).toArray();
                RoutedPrefill p = new RoutedPrefill(routers, DecisionRule.argmax().withMaxPath(rnd.nextBoolean() ? 12 : DecisionRule.NO_CAP));
                Prefill.Result a, c;
                try (KvCache cache = gpu.newCache(2 * L, prompt.length)) {
                    a = p.run(new PathExecutor(gpu), prompt, cache);
                }
                try (KvCache cache = cpu.newCache(2 * L, prompt.length)) {
                    c = p.run(new PathExecutor(cpu), prompt, cache);
                }
                RoutingDecision dc = (RoutingDecision) c.details();
                RoutingDecision dg = (RoutingDecision) a.details();
                LayerPath.validate(L, a.path().layers());
                compared++;
                if (a.path().equals(c.path())) same++;
                else {
                    // only a near-tie may differ: find the first layer whose decision differs
                    for (int layer = 0; layer < L; layer++) {
                        if (dc.routed()[layer] != dg.routed()[layer]) {
                            float[] s = dc.decisionLogits()[layer].clone();
                            java.util.Arrays.sort(s);
                            float tol = (float) (REL * Math.max(1f, Gpu.maxAbs(dc.decisionLogits()[layer])));
                            assertTrue(s[2] - s[1] <= 2 * tol, "layer " + layer + " decision differs with margin " + (s[2] - s[1]));
                            break;
                        }
                    }
                }
            }
            System.out.printf("[cuda] tiny model: %d of %d routed paths identical to the CPU backend's%n", same, compared);
            // and a routed generation decodes along its path
            Routers routers = Routers.xavier(L, m.config().hiddenSize(), 128, 8, 99);
            int[] prompt = rnd.ints(20, 0, V).toArray();
            GenerationResult g = new Generator(gpu).generate(prompt, new RoutedPrefill(routers, DecisionRule.argmax()), GenerationOptions.greedy(8, Set.of()));
            assertEquals(((RoutingDecision) g.prefillDetails()).executedPath(), g.path());
        }
    }
}
