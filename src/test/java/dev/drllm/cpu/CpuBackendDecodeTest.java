package dev.drllm.cpu;

import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuBackendDecodeTest {
    /**
     * A decode step's blocks allocate nothing once the JIT has compiled them (before that, the
     * interpreter boxes every vector). Measured in a fresh JVM (see {@link DecodeAllocationProbe}).
     */
    @Test
    @Disabled("Open problem, see README 'CPU speed': run alone (mvn test -Dtest=CpuBackendDecodeTest) the probe JVM reports "
            + "allocated=0 within ~3 s, but after the rest of the suite (same fork or a fork of its own, quiet machine) it still "
            + "reports 115200 B per step (7200 B per layer) after its 200 s budget; cause not found yet")
    void decodeBlocksAllocateNothingAfterWarmUp() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Ddrllm.threads=2",
                "-cp", System.getProperty("java.class.path"), DecodeAllocationProbe.class.getName(), DecodeAllocationProbe.tiny().toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(out.contains("allocated=0"), "bytes allocated by one decode step's blocks (expected allocated=0):\n" + out
                + "\nclass path: " + System.getProperty("java.class.path"));
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
