package dev.drllm.cpu;

import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Run in a fresh JVM by {@link CpuBackendDecodeTest}: prints {@code allocated=N}, the bytes one
 * warmed-up decode step (embedding, every block, final norm and LM head into the caller's logits
 * row: {@link PathExecutor#step}) allocates on the calling thread and the pool's workers together.
 * A fresh JVM, because the JIT's profiles in a JVM that has run the whole test suite (other vector
 * shapes, other species) are not those of a serving process, and its inlining decisions there say
 * nothing about production.
 *
 * <p>When a step still allocates at the end of the budget, the probe records a few more steps
 * with JFR and prints the heaviest allocating stacks, each frame marked Inlined / JIT compiled /
 * Interpreted: a Vector API method shown as "JIT compiled" below a kernel is a call C2 did not
 * inline, and the kernel boxes the vectors it passes.
 */
public final class DecodeAllocationProbe {
    private static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException {
        try (Model m = Model.load(Path.of(args[0])); CpuBackend b = new CpuBackend(m, Integer.getInteger("probe.threads", 2))) {
            long[] workers = b.pool().workerIds();
            long[] perThread = new long[workers.length + 1];
            long start = System.nanoTime();
            // until C2 has compiled every kernel: C1 code does not intrinsify the Vector API and boxes; on a
            // loaded machine the compiler threads get little CPU, so the budget is time, not rounds
            long deadline = start + Long.getLong("probe.seconds", 200) * 1_000_000_000L;
            long allocated = -1;
            // the warm-up runs at full speed while someone waits for it, however loaded the machine
            try {
                KernelWarmup.awaitVector(java.time.Duration.ofNanos(deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.printf("vector kernels %s after %.1f s%n", CpuKernels.vectorInUse(), (System.nanoTime() - start) / 1e9);
            // and until the kernels run their vector bodies: the scalar twins of a fresh JVM (KernelWarmup) are not what is probed
            while ((allocated != 0 || !CpuKernels.vectorInUse()) && System.nanoTime() < deadline) allocated = pass(b, m, workers, perThread);
            if (!CpuKernels.vectorInUse()) allocated = -1;
            System.out.printf("after %.1f s: caller %d B, workers %s B%n", (System.nanoTime() - start) / 1e9, perThread[0],
                    java.util.Arrays.toString(java.util.Arrays.copyOfRange(perThread, 1, perThread.length)));
            if (allocated != 0) printAllocatingStacks(b, m, workers);
            System.out.println("allocated=" + allocated);
        }
    }

    /** 200 decode steps over a fresh cache; returns the last step's bytes on all threads (per thread in {@code perThread}). */
    private static long pass(CpuBackend b, Model m, long[] workers, long[] perThread) {
        int L = m.config().numLayers(), vocab = m.config().vocabSize();
        LayerPath path = LayerPath.full(L);
        PathExecutor ex = new PathExecutor(b);
        float[] logits = new float[vocab];
        long allocated = -1;
        try (KvCache cache = b.newCache(L, 256)) {
            for (int pos = 0; pos < 200; pos++) {
                // workers first and last, so the caller's window holds nothing but the step
                for (int i = 0; i < workers.length; i++) perThread[i + 1] = MX.getThreadAllocatedBytes(workers[i]);
                long before = MX.getCurrentThreadAllocatedBytes();
                ex.step((pos * 31 + 7) % vocab, path, cache, logits, null);
                perThread[0] = MX.getCurrentThreadAllocatedBytes() - before;
                long total = perThread[0];
                for (int i = 0; i < workers.length; i++) {
                    perThread[i + 1] = MX.getThreadAllocatedBytes(workers[i]) - perThread[i + 1];
                    total += perThread[i + 1];
                }
                // the first steps touch new KV slots, scratch and the step's state (allocated on first use, by design)
                if (pos > 5) allocated = total;
            }
        }
        return allocated;
    }

    private static void printAllocatingStacks(CpuBackend b, Model m, long[] workers) throws IOException {
        Set<Long> measured = new HashSet<>();
        measured.add(Thread.currentThread().threadId());
        for (long w : workers) measured.add(w);
        Path file = Files.createTempFile("drllm-alloc", ".jfr");
        try (Recording r = new Recording()) {
            // JFR samples an allocation when a thread refills its TLAB, so a few hundred KB per step
            // gives a handful of samples per pass: record passes for a few seconds, unthrottled
            r.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "off");
            r.start();
            long[] scratch = new long[workers.length + 1];
            long until = System.nanoTime() + 5_000_000_000L;
            for (int i = 0; i < 3 || System.nanoTime() < until; i++) pass(b, m, workers, scratch);
            r.stop();
            r.dump(file);
        }
        Map<String, long[]> bytesAndCount = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getThread() == null || !measured.contains(e.getThread().getJavaThreadId()) || e.getStackTrace() == null) continue;
            // a new cache's KV slots, allocated on first use in each pass's first steps, which the measurement skips
            if (e.getStackTrace().getFrames().stream().anyMatch(f -> f.getMethod().getName().equals("ensure")
                    && f.getMethod().getType().getName().equals(CpuBackend.CpuKvCache.class.getName()))) continue;
            List<String> frames = new ArrayList<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber() + " (" + f.getType() + ")");
                // up to the first engine frame and three more: enough to see which call was not inlined, and where
                if (frames.size() >= 24 || frames.stream().filter(s -> s.startsWith("dev.drllm.")).count() >= 4) break;
            }
            String key = e.getClass("objectClass").getName() + "\n      " + String.join("\n      ", frames);
            long[] v = bytesAndCount.computeIfAbsent(key, k -> new long[2]);
            v[0] += e.getLong("weight");
            v[1]++;
        }
        Files.deleteIfExists(file);
        System.out.println("allocating stacks (JFR jdk.ObjectAllocationSample on the caller and workers, KV slot set-up left out; "
                + "most samples first; a Vector API frame marked JIT compiled under an engine frame is a call C2 did not inline):");
        if (bytesAndCount.isEmpty()) System.out.println("  (no samples)");
        bytesAndCount.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(6)
                .forEach(en -> System.out.printf("  %d samples, sampled weight %d B: %s%n", en.getValue()[1], en.getValue()[0], en.getKey()));
    }

    static Path tiny() { return Fixtures.tinyModel(); }
}
