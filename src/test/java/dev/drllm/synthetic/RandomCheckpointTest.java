package dev.drllm.synthetic;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.cuda.BenchShapes;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's random checkpoints load as ordinary HF checkpoints and run on the CPU backend. */
class RandomCheckpointTest {
    @Test
    void tinyShapeLoadsAndRuns(@TempDir Path dir) throws Exception {
        var shape = BenchShapes.get("tiny");
        assertTrue(RandomCheckpoint.write(shape, dir, 3));
        assertFalse(RandomCheckpoint.write(shape, dir, 3), "a complete checkpoint is reused");
        assertEquals(shape.parameters() * 2, Files.size(dir.resolve("model.safetensors")) - headerBytes(dir.resolve("model.safetensors")));
        try (Model m = Model.load(dir); CpuBackend b = new CpuBackend(m, 1)) {
            assertEquals(16, m.config().numLayers());
            float w = m.weights().layers().get(3).wq().getFloat(17);
            assertTrue(w != 0 && Math.abs(w) < 0.0347f, "uniform weights of std 0.02: " + w);
            assertEquals(1f, m.weights().finalNorm().getFloat(5));
            try (KvCache c = b.newCache(16, 4)) {
                float[] l = new PathExecutor(b).forward(new int[]{5, 6, 7}, LayerPath.full(16), c, true);
                for (float v : l) assertTrue(Float.isFinite(v));
            }
        }
    }

    static long headerBytes(Path f) throws Exception {
        byte[] b = Files.readAllBytes(f);
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (b[i] & 0xFF);
        return 8 + n;
    }

}
