package dev.drllm.cpu;

import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuBackendDecodeTest {
    /**
     * A whole decode step (embedding, blocks, LM head into the caller's row) allocates nothing, on
     * the caller or the pool's workers, once the JIT has
     * compiled them (before that, the interpreter and C1 box every vector). Measured in a fresh JVM
     * (see {@link DecodeAllocationProbe}), twice: with the JVM's default flags, as in production,
     * and with {@code -XX:-UseTypeProfile}, where C2 inlines only the calls it can bind statically.
     * Whether a Vector API call on a vector of inexact static type gets bound from a receiver
     * profile depends on how far that JDK method's profile has matured when C2 compiles the kernel,
     * a race between threads (see the rules in {@link CpuKernels}); without type profiles such a
     * kernel fails here every run instead of some runs.
     */
    @Test
    void decodeStepsAllocateNothingAfterWarmUp() throws Exception {
        probeAllocatesNothing(DecodeAllocationProbe.tiny());
        probeAllocatesNothing(DecodeAllocationProbe.tiny(), "-XX:-UseTypeProfile");
    }

    /** The same for quantized weights (llama.cpp's Q8_0 and Q4_K_M files): the block kernels, Q8_0's four-row pass and the K-quants' 8-bit activations. */
    @Test
    void quantizedDecodeStepsAllocateNothingAfterWarmUp() throws Exception {
        for (String f : new String[] {"llama.q8_0.gguf", "llama.q4_k_m.gguf"}) {
            Path gguf = Fixtures.projectDir().resolve("src/test/resources/fixtures/gguf").resolve(f);
            probeAllocatesNothing(gguf);
            probeAllocatesNothing(gguf, "-XX:-UseTypeProfile");
        }
    }

    /** The same for F16 weights (llama.cpp's F16 file): the in-register half widening and its 2^112-scaled activations. */
    @Test
    void f16DecodeStepsAllocateNothingAfterWarmUp() throws Exception {
        Path gguf = Fixtures.projectDir().resolve("src/test/resources/fixtures/gguf/llama.f16.gguf");
        probeAllocatesNothing(gguf);
        probeAllocatesNothing(gguf, "-XX:-UseTypeProfile");
    }

    /**
     * The same for Q6_K (its own decode kernel and per-thread activation layout): llama.cpp's fixtures
     * have no Q6_K matrix (their rows are too short), so drllm-tiny written as Q4_K_M, whose 512-wide
     * ffn_down of three layers is Q6_K (the kernel's numerics: BlockCodecTest).
     */
    @Test
    void q6kDecodeStepsAllocateNothingAfterWarmUp(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path gguf = tmp.resolve("drllm-tiny.q4_k_m.gguf");
        try (Model hf = Model.load(Fixtures.tinyModel())) {
            dev.drllm.gguf.GgufExport.write(hf, Fixtures.tinyModel(), dev.drllm.gguf.GgufExport.Scheme.Q4_K_M, gguf, null);
        }
        try (Model m = Model.load(gguf)) {
            assertTrue(m.weights().layers().stream().anyMatch(l -> l.wDown().dtype() == dev.drllm.model.DType.Q6_K), "no Q6_K ffn_down in " + gguf);
        }
        probeAllocatesNothing(gguf);
        probeAllocatesNothing(gguf, "-XX:-UseTypeProfile");
    }

    private static void probeAllocatesNothing(Path model, String... jvmFlags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Ddrllm.threads=2"));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DecodeAllocationProbe.class.getName(), model.toString()));
        // to a file, not a pipe: the JFR report on failure can exceed a pipe buffer and block the probe
        Path log = Files.createTempFile("drllm-alloc-probe", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("probe did not finish in 5 minutes:\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            assertTrue(out.lines().anyMatch("allocated=0"::equals),
                    "bytes allocated by one decode step of " + model.getFileName() + " with JVM flags " + List.of(jvmFlags) + " (expected allocated=0):\n" + out);
        } finally {
            Files.deleteIfExists(log);
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
