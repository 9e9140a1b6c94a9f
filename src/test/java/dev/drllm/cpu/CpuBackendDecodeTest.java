package dev.drllm.cpu;

import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CpuBackendDecodeTest {
    /**
     * A decode step's blocks allocate nothing once the JIT has compiled them (before that, the
     * interpreter boxes every vector). Measured on the calling thread, which also runs a share of
     * every parallel loop.
     */
    @Test
    void decodeBlocksAllocateNothingAfterWarmUp() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 2)) {
            int L = m.config().numLayers();
            long allocated = -1;
            for (int round = 0; round < 12 && allocated != 0; round++) {
                try (KvCache cache = b.newCache(L, 256); Hidden x = b.upload(new float[m.config().hiddenSize()], 1)) {
                    for (int pos = 0; pos < 200; pos++) {
                        long before = mx.getCurrentThreadAllocatedBytes();
                        for (int l = 0; l < L; l++) b.block(l, x, cache, l);
                        long used = mx.getCurrentThreadAllocatedBytes() - before;
                        cache.advance(1);
                        if (pos > 5) allocated = used;
                    }
                }
            }
            assertEquals(0, allocated, "bytes allocated by one decode step's blocks");
        }
    }

    /** Prefill as one GEMM pass over the prompt gives the logits of feeding the same tokens one at a time. */
    @Test
    void batchedPrefillMatchesTokenByToken() {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 2)) {
            int L = m.config().numLayers(), V = m.config().vocabSize();
            int[] prompt = new int[37];
            for (int i = 0; i < prompt.length; i++) prompt[i] = (i * 131 + 7) % V;
            PathExecutor ex = new PathExecutor(b);
            LayerPath path = LayerPath.full(L);
            float[] batched;
            try (KvCache cache = b.newCache(L, prompt.length)) {
                batched = ex.forward(prompt, path, cache, false);
            }
            float[] stepwise = new float[prompt.length * V];
            try (KvCache cache = b.newCache(L, prompt.length)) {
                for (int t = 0; t < prompt.length; t++) {
                    float[] row = ex.forward(new int[]{prompt[t]}, path, cache, true);
                    System.arraycopy(row, 0, stepwise, t * V, V);
                }
            }
            // same f32 arithmetic, different blocking and summation order
            assertArrayEquals(stepwise, batched, 2e-4f);
        }
    }
}
