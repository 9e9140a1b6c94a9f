package dev.drllm.bench;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Decode speed while other work competes for the cores, the situation of a service that shares its
 * machine: {@code busy} spinning threads (or, with {@code processes}, spinning {@code sh} processes,
 * which the OS schedules independently of this JVM) run beside a backend of {@code threads}
 * workers, and the model decodes token by token along the full path (6 s warm-up, 4 s measured).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.drllm.bench.ContendedDecode [model] [threads] [busy] [threads|processes]</pre>
 */
public final class ContendedDecode {
    private static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "models/drllm-tiny");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int busy = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean processes = args.length > 3 && args[3].equals("processes");
        Thread[] spinners = new Thread[processes ? 0 : busy];
        Process[] spinning = new Process[processes ? busy : 0];
        for (int i = 0; i < spinning.length; i++) spinning[i] = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        for (int i = 0; i < spinners.length; i++) {
            spinners[i] = new Thread(() -> {
                long x = 0;
                while (!stop) x++;
                if (x == 42) System.out.print("");
            }, "busy-" + i);
            spinners[i].setDaemon(true);
            spinners[i].start();
        }
        try (Model m = Model.load(model); CpuBackend b = new CpuBackend(m, threads)) {
            int L = m.config().numLayers();
            PathExecutor ex = new PathExecutor(b);
            LayerPath full = LayerPath.full(L);
            double rate = 0;
            for (int phase = 0; phase < 2; phase++) {
                long t0 = System.nanoTime(), end = t0 + (phase == 0 ? 6_000_000_000L : 4_000_000_000L), steps = 0;
                while (System.nanoTime() < end) {
                    try (KvCache c = b.newCache(L, 256)) {
                        for (int pos = 0; pos < 200 && System.nanoTime() < end; pos++) {
                            ex.forward(new int[]{pos % (m.config().vocabSize() - 1) + 1}, full, c, true);
                            steps++;
                        }
                    }
                }
                rate = steps / ((System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "%s: %d backend threads beside %d busy %s on %d cores: %.0f tok/s%n",
                    model.getFileName(), threads, busy, processes ? "processes" : "threads", Runtime.getRuntime().availableProcessors(), rate);
        } finally {
            stop = true;
            for (Process p : spinning) p.destroyForcibly();
        }
    }
}
