package dev.drllm.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.routing.Routers;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The captured decode graphs (both ways of following the path) against the backend's step-by-step
 * generation: same kernels, same arithmetic, so the tokens must be identical; and in a batch every
 * sequence must get exactly the tokens it gets alone (per-sequence paths, DESIGN.md section 2).
 */
class CudaDecoderTest {
    static final String[] PATHS = {"full", "0,1,1,2,3,4,6,7,8,9,10,11,12,13,14,15", "0,1,2,3,4,5,6,7,8,9,10,11,12,14,15,15",
            "0,2,3,5,6,7,8,9,10,11,13,14,15"};

    @BeforeEach
    void gpu() {
        Gpu.assume();
    }

    static LayerPath path(int L, String s) {
        return s.equals("full") ? LayerPath.full(L) : LayerPath.parse(L, s);
    }

    @ParameterizedTest
    @EnumSource(CudaDecoder.Mode.class)
    void graphDecodeMatchesStepwiseGeneration(CudaDecoder.Mode mode) {
        try (Model m = Model.load(Fixtures.tinyModel()); CudaBackend b = new CudaBackend(m)) {
            int L = m.config().numLayers(), maxNew = 12;
            try (CudaDecoder d = new CudaDecoder(b, 1, 256, maxNew, mode)) {
                d.chunk(5);
                for (int i = 0; i < PATHS.length; i++) {
                    LayerPath p = path(L, PATHS[i]);
                    int[] prompt = TinyPrompts.prompt(i);
                    int[] want = new Generator(b).generate(prompt, Prefill.fixed(p), GenerationOptions.greedy(maxNew, m.stopTokens())).ids();
                    var out = d.generate(new int[][]{prompt}, new LayerPath[]{p}, null, m.stopTokens());
                    assertArrayEquals(want, out.tokens()[0], mode + " path " + PATHS[i]);
                    assertArrayEquals(p.counts(), out.pathCounts()[0]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CudaDecoder.Mode.class)
    void batchKeepsEachSequencesPath(CudaDecoder.Mode mode) {
        try (Model m = Model.load(Fixtures.tinyModel()); CudaBackend b = new CudaBackend(m)) {
            int L = m.config().numLayers(), maxNew = 10, B = 4;
            int[][] prompts = new int[B][];
            LayerPath[] paths = new LayerPath[B];
            for (int i = 0; i < B; i++) {
                prompts[i] = TinyPrompts.prompt(i);
                paths[i] = path(L, PATHS[(i + 1) % PATHS.length]);
            }
            int[][] alone = new int[B][];
            try (CudaDecoder d = new CudaDecoder(b, 1, 256, maxNew, mode)) {
                for (int i = 0; i < B; i++) alone[i] = d.generate(new int[][]{prompts[i]}, new LayerPath[]{paths[i]}, null, Set.of()).tokens()[0];
            }
            try (CudaDecoder d = new CudaDecoder(b, B, 256, maxNew, mode)) {
                var out = d.generate(prompts, paths, null, Set.of());
                for (int i = 0; i < B; i++) {
                    assertArrayEquals(alone[i], out.tokens()[i], mode + " batch row " + i + " path " + paths[i]);
                    assertArrayEquals(paths[i].counts(), out.pathCounts()[i]);
                }
            }
        }
    }

    /** Routed prefill on the device reproduces the fixtures' executed paths, and decode follows them. */
    @ParameterizedTest
    @EnumSource(CudaDecoder.Mode.class)
    void routedPrefillFollowsTheRouters(CudaDecoder.Mode mode) {
        for (String name : Fixtures.HF_MODELS) {
            JsonNode json = Fixtures.referenceJson(name);
            // f32 activations in the prompt's blocks (GEMV path) so the routers see states closest to the reference
            try (Model m = Model.load(Fixtures.hfReference(name)); CudaBackend b = new CudaBackend(m, 64);
                 SafetensorsFile ref = Fixtures.reference(name)) {
                int L = m.config().numLayers();
                Routers routers = Routers.load(ref.path(), m.config(), json.get("num_windows").asInt());
                long[] l = ref.get("input_ids").toLongArray();
                int[] ids = new int[l.length];
                for (int i = 0; i < ids.length; i++) ids[i] = (int) l[i];
                JsonNode exec = json.get("paths").get("router_executed_path");
                int[] layers = new int[exec.size()];
                for (int i = 0; i < layers.length; i++) layers[i] = exec.get(i).asInt();
                LayerPath want = LayerPath.of(L, layers);
                try (CudaDecoder d = new CudaDecoder(b, 2, 64, 6, mode)) {
                    var out = d.generate(new int[][]{ids, ids}, new LayerPath[]{null, want}, routers, Set.of());
                    assertArrayEquals(want.counts(), out.pathCounts()[0], name + " routed path");
                    assertArrayEquals(out.tokens()[1], out.tokens()[0], name + " routed decode = decode along the fixed path");
                }
            }
        }
    }
}
