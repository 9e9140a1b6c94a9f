package dev.drllm.model;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sharded checkpoints, F32 / F16 weights and the newer rope_parameters spelling give the same model. */
class CheckpointFormatsTest {
    @TempDir Path tmp;
    static final int[] IDS = {1, 17, 42, 99, 5, 230, 7, 64, 3};

    static float[] logits(Path dir) {
        try (Model m = Model.load(dir); CpuBackend b = new CpuBackend(m, 1);
             KvCache c = b.newCache(m.config().numLayers(), IDS.length)) {
            return new PathExecutor(b).forward(IDS, LayerPath.full(m.config().numLayers()), c, false);
        }
    }

    /** Rewrites the llama fixture's tensors with {@code dtype}, cut into {@code shards} files (+ index when > 1). */
    Path rewrite(String name, DType dtype, int shards) throws IOException {
        Path src = Fixtures.hfReference("llama");
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        try (SafetensorsFile f = SafetensorsFile.open(src.resolve("model.safetensors"))) {
            List<Map.Entry<String, Tensor>> all = new ArrayList<>(f.tensors().entrySet());
            StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
            for (int s = 0; s < shards; s++) {
                SafetensorsWriter w = new SafetensorsWriter();
                String file = shards == 1 ? "model.safetensors" : String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                for (int i = s; i < all.size(); i += shards) {
                    Tensor t = all.get(i).getValue();
                    w.add(t.name(), dtype, t.shape(), t.toFloatArray());
                    if (index.charAt(index.length() - 1) != '{') index.append(',');
                    index.append('"').append(t.name()).append("\":\"").append(file).append('"');
                }
                w.write(dir.resolve(file));
            }
            if (shards > 1) Files.writeString(dir.resolve(Checkpoint.INDEX), index.append("}}").toString());
        }
        return dir;
    }

    @Test
    void shardedEqualsSingleFile() throws IOException {
        Path sharded = rewrite("sharded", DType.BF16, 3);
        try (Checkpoint ck = Checkpoint.open(sharded)) {
            assertTrue(ck.tensors().size() > 10);
        }
        assertArrayEquals(logits(Fixtures.hfReference("llama")), logits(sharded));
    }

    @Test
    void f32WeightsMatchBf16() throws IOException {
        float d = Fixtures.maxAbsDiff(logits(Fixtures.hfReference("llama")), logits(rewrite("f32", DType.F32, 1)));
        // the same values, only another kernel and summation order
        assertTrue(d < 1e-5f, "f32 vs bf16 weights: " + d);
    }

    @Test
    void f16WeightsMatchBf16() throws IOException {
        float d = Fixtures.maxAbsDiff(logits(Fixtures.hfReference("llama")), logits(rewrite("f16", DType.F16, 1)));
        // bf16 values of this magnitude are exact in f16 except the smallest (subnormal) ones
        assertTrue(d < 1e-3f, "f16 vs bf16 weights: " + d);
    }

    @Test
    void ropeParametersSpelling() throws IOException {
        Path dir = rewrite("ropeparams", DType.BF16, 1);
        String cfg = Files.readString(dir.resolve("config.json"));
        cfg = cfg.replace("\"rope_theta\": 500000.0,", "").replace("\"rope_scaling\"", "\"rope_parameters\"");
        Files.writeString(dir.resolve("config.json"), cfg);
        ModelConfig c = ModelConfig.load(dir.resolve("config.json"));
        assertEquals("llama3", c.rope().type());
        assertEquals(500000.0, c.rope().theta());
        assertArrayEquals(logits(Fixtures.hfReference("llama")), logits(dir));
    }

    @Test
    void configVariants() throws IOException {
        ModelConfig q2 = ModelConfig.load(Fixtures.hfReference("qwen2").resolve("config.json"));
        assertEquals(Architecture.QWEN2, q2.architecture());
        assertTrue(q2.qkvBias());
        assertTrue(!q2.tieEmbeddings());
        assertEquals(1e-6f, q2.rmsNormEps());
        ModelConfig q3 = ModelConfig.load(Fixtures.hfReference("qwen3").resolve("config.json"));
        assertTrue(q3.qkNorm());
        assertEquals(32, q3.headDim());
        ModelConfig tiny = ModelConfig.load(Fixtures.tinyModel().resolve("config.json"));
        assertEquals(16, tiny.numLayers());
        assertEquals("default", tiny.rope().type());
    }
}
