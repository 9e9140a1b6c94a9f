package dev.drllm.cpu;

import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link CpuBackendDecodeTest}: prints the bytes one warmed-up decode
 * step's blocks allocate on the calling thread. A fresh JVM, because the JIT's profiles in a JVM
 * that has run the whole test suite (other vector shapes, other species) are not those of a
 * serving process, and its inlining decisions there say nothing about production.
 */
public final class DecodeAllocationProbe {
    public static void main(String[] args) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Model m = Model.load(Path.of(args[0])); CpuBackend b = new CpuBackend(m, Integer.getInteger("probe.threads", 2))) {
            int L = m.config().numLayers();
            long allocated = -1;
            // until C2 has compiled every kernel: C1 code does not intrinsify the Vector API and boxes; on a
            // loaded machine the compiler threads get little CPU, so the budget is time, not rounds
            long deadline = System.nanoTime() + Long.getLong("probe.seconds", 200) * 1_000_000_000L;
            while (allocated != 0 && System.nanoTime() < deadline) {
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
            System.out.println("allocated=" + allocated);
        }
    }

    static Path tiny() { return Fixtures.tinyModel(); }
}
