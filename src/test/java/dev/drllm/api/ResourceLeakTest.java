package dev.drllm.api;

import dev.drllm.Fixtures;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * load / generate / close in a loop must not grow the heap, the mapped or direct buffers, the
 * file mappings, the thread count or (when enabled) the JVM's native memory. A bounded loop runs
 * in {@code mvn test}; a long run is
 * {@code mvn test -Dtest=ResourceLeakTest -Ddrllm.leak.iterations=5000 -Dsurefire.extra=-XX:NativeMemoryTracking=summary}.
 */
class ResourceLeakTest {
    static final int ITERATIONS = Integer.getInteger("drllm.leak.iterations", 40);
    static final int[] PROMPT = {81, 117, 101, 115, 116, 105, 111, 110, 58, 32};

    record Snapshot(long heap, long bufferBytes, long bufferCount, long mappings, int threads, long nativeCommittedKb) {}

    static void once(Path dir) {
        DrLlm llm = DrLlm.load(dir, LoadOptions.defaults().withThreads(2));
        try (Session s = llm.openSession()) {
            s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(4).withStopTokens(Set.of()));
            // a stream left open on purpose: closing the model must still release everything
            TokenStream open = llm.openSession().stream(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(8));
            open.hasNext();
        } finally {
            llm.close();
        }
    }

    static Snapshot snapshot(Path model) throws InterruptedException {
        int threads = 0;
        long heap = 0;
        // settle: the worker pools of closed models wind down asynchronously, GC is a hint
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(20);
            heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            threads = Thread.activeCount();
            if (i > 5 && threads <= baseThreads) break;
        }
        long bytes = 0, count = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            bytes += b.getMemoryUsed();
            count += b.getCount();
        }
        return new Snapshot(heap, bytes, count, mappingsOf(model), threads, nativeCommittedKb());
    }

    static int baseThreads = Integer.MAX_VALUE;

    /** Lines of /proc/self/maps that map the checkpoint (Linux; -1 elsewhere). */
    static long mappingsOf(Path file) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) return -1;
        try {
            String real = file.toRealPath().toString();
            return Files.readAllLines(maps).stream().filter(l -> l.endsWith(real)).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The JVM's committed native memory from NMT, or -1 when NMT is off. */
    static long nativeCommittedKb() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[]{new String[]{"summary"}}, new String[]{String[].class.getName()});
            Matcher m = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(String.valueOf(out));
            return m.find() ? Long.parseLong(m.group(2)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void loadGenerateCloseDoesNotGrowMemory() throws Exception {
        Path dir = Fixtures.tinyModel();
        Path weights = dir.resolve("model.safetensors");
        baseThreads = Thread.activeCount();
        try (DrLlm probe = DrLlm.load(dir, LoadOptions.defaults().withThreads(1))) {
            assertTrue(mappingsOf(weights) != 0, "the mapping probe must see a loaded checkpoint");
            assertTrue(probe.info().numLayers() > 0);
        }
        for (int i = 0; i < 5; i++) once(dir); // warm-up: JIT, class loading, logging
        Snapshot before = snapshot(weights);
        long t0 = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            once(dir);
            if (i % 500 == 499) System.out.println("leak loop " + (i + 1) + ": " + snapshot(weights));
        }
        Snapshot after = snapshot(weights);
        System.out.printf("leak loop: %d iterations in %.1f s%n  before %s%n  after  %s%n", ITERATIONS, (System.nanoTime() - t0) / 1e9, before, after);
        if (before.mappings() >= 0) assertEquals(0, after.mappings(), "the checkpoint is still mapped after close");
        assertEquals(before.bufferCount(), after.bufferCount(), "buffer pool count");
        assertEquals(before.bufferBytes(), after.bufferBytes(), "buffer pool bytes");
        assertTrue(after.threads() <= before.threads(), "threads " + before.threads() + " -> " + after.threads());
        // heap after GC fluctuates by a few MB (TLABs, JIT metadata kept on heap, logging buffers);
        // one leaked model would be > 12 MB of bf16 weights copies or KV caches per iteration
        assertTrue(after.heap() - before.heap() < 16L << 20, "heap grew by " + (after.heap() - before.heap()) + " bytes");
        if (before.nativeCommittedKb() > 0) {
            // NMT: code cache and metaspace may still grow a little as the JIT settles
            assertTrue(after.nativeCommittedKb() - before.nativeCommittedKb() < 32 * 1024,
                    "native committed grew by " + (after.nativeCommittedKb() - before.nativeCommittedKb()) + " KB");
        }
    }
}
