package dev.drllm.cuda;

import dev.drllm.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Argument packing on the CPU: every launch {@link CudaKernels} makes is recorded and its argument
 * kinds (4-byte int, 4-byte float, 8-byte pointer / long long) are checked against the kernel's
 * declaration in native/drllm_kernels.h, so a Java / CUDA mismatch fails in CI, not on a GPU.
 */
class KernelAbiTest {
    record Launch(String name, int gx, int gy, int gz, int block, long smem, String kinds) {}

    static Map<String, String> header() throws IOException {
        String h = Files.readString(Fixtures.projectDir().resolve("native/drllm_kernels.h"));
        h = h.replaceAll("/\\*.*?\\*/", " ").replaceAll("(?s)/\\*.*?\\*/", " ");
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("__global__\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*;").matcher(h);
        while (m.find()) {
            StringBuilder kinds = new StringBuilder();
            for (String p : m.group(2).split(",")) {
                String t = p.strip();
                if (t.contains("*") || t.startsWith("long long")) kinds.append('l');
                else if (t.startsWith("float")) kinds.append('f');
                else if (t.startsWith("int")) kinds.append('i');
                else throw new AssertionError("unknown parameter type in " + m.group(1) + ": " + t);
            }
            out.put(m.group(1), kinds.toString());
        }
        return out;
    }

    static final class Recorder implements Launcher {
        final Arena arena = Arena.ofConfined();
        final KernelArgs args = new KernelArgs(arena);
        final List<Launch> launches = new ArrayList<>();

        @Override public KernelArgs args() { return args.reset(); }

        @Override
        public void launch(String kernel, int gx, int gy, int gz, int block, long smem, KernelArgs a) {
            StringBuilder k = new StringBuilder();
            for (int i = 0; i < a.count(); i++) k.append(a.kind(i));
            launches.add(new Launch(kernel, gx, gy, gz, block, smem, k.toString()));
        }

        @Override public int multiprocessors() { return 132; }
    }

    @Test
    void everyLaunchMatchesItsDeclaration() throws IOException {
        Map<String, String> decl = header();
        Recorder r = new Recorder();
        CudaKernels k = new CudaKernels(r);
        var sp = LaunchGeometry.decodeSplits(700);
        k.embedGather(1, 2, 3, 5, 64, 320);
        k.addRmsnorm(1, 0, 2, 3, 0, 5, 64, 1e-5f, 0);
        k.qkvPost(1, 128, 0, 2, 3, 1e-6f, 4, 0, 5, 6, 7, 700L * 32, 5, 4, 2, 16, 0);
        k.attnPrefill(1, 128, 2, 3, 4, 23, 4, 2, 16, 5, 0, 64);
        k.attnDecode(1, 128, 2, 3, 700L * 32, 4, 5, 3, 4, 2, 16, sp, 6, 7, 8, 9, 0, 64, 10);
        for (int T : new int[]{1, 2, 3, 5, 8, 64}) k.gemv(1, 64, CudaKernels.RMSNORM, 2, 1e-5f, 3, 0, 4, 128, false, T, 64, 128, 0);
        k.toBf16(1, 2, 1000);
        k.biasAdd(1, 2, 5, 64, 64);
        k.swiglu(1, 0, 2, 5, 160);
        k.router(1, 23, 64, 8, 128, 2, 3, 4, 5, 6, 7, 8, 9);
        k.argmaxStep(1, 4, 320, 2, 3, 4, 16, 5);
        k.passGather(1, 3, 1, 4, 16, 2, 3, 4, 5, 64);
        k.passScatter(1, 2, 3, 4, 4, 64);
        k.setSwitch(1, 2, 4, 28);
        k.decisionsToCounts(1, 2, 0, 28);
        Set<String> seen = new HashSet<>();
        for (Launch l : r.launches) {
            String want = decl.get(l.name().startsWith("gemv_bf16_t") ? "gemv_bf16_tN" : l.name());
            assertNotNull(want, l.name() + " is not declared in native/drllm_kernels.h");
            assertEquals(want, l.kinds(), l.name() + " argument kinds");
            assertTrue(l.gx() > 0 && l.gy() > 0 && l.gz() > 0, l + ": empty grid");
            assertTrue(l.block() > 0 && l.block() <= 1024 && l.block() % 32 == 0, l + ": block size");
            assertTrue(l.smem() <= LaunchGeometry.GEMV_SMEM_LIMIT, l + ": shared memory");
            seen.add(l.name().startsWith("gemv_bf16_t") ? "gemv_bf16_tN" : l.name());
        }
        assertEquals(decl.keySet(), seen, "every declared kernel is launched by CudaKernels");
        Set<String> names = new HashSet<>();
        for (String n : CudaKernels.NAMES) names.add(n.startsWith("gemv_bf16_t") ? "gemv_bf16_tN" : n);
        assertEquals(decl.keySet(), names, "CudaKernels.NAMES lists every kernel (resolved before any graph capture)");
        assertTrue(r.launches.stream().anyMatch(l -> l.name().equals("gemv_bf16_t8")), "8-token tile used");
        r.arena.close();
    }

    @Test
    void kernelSourcesDefineEveryDeclaredKernel() throws IOException {
        StringBuilder src = new StringBuilder();
        try (var files = Files.list(Fixtures.projectDir().resolve("kernels"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".cu")).toList()) src.append(Files.readString(f));
        }
        for (String name : header().keySet()) {
            if (name.equals("gemv_bf16_tN")) {
                assertTrue(src.toString().contains("GEMV_ENTRY(8)"), "gemv tiles");
                continue;
            }
            assertTrue(Pattern.compile("extern \"C\" __global__ void (__launch_bounds__\\(\\d+\\) )?" + name + "\\(").matcher(src).find(),
                    name + " defined in kernels/*.cu");
        }
    }
}
