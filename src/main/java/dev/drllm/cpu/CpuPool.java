package dev.drllm.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** The CPU backend's fixed worker pool (default: one worker per core; {@code -Ddrllm.threads=N}). */
public final class CpuPool {
    private final ForkJoinPool pool;
    private final int threads;

    public CpuPool(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = new ForkJoinPool(this.threads);
    }

    public static int defaultThreads() {
        String p = System.getProperty("drllm.threads");
        if (p != null && !p.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(p.strip()));
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() { return threads; }

    /** A body over [from, to) sub-ranges of an index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Splits [0, n) into about {@code threads × 4} chunks; runs inline when {@code work} is small. */
    public void forRange(int n, long work, RangeBody body) {
        if (n <= 0) return;
        if (threads == 1 || n == 1 || work < 32_768) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads * 4);
        int step = (n + chunks - 1) / chunks;
        int real = (n + step - 1) / step;
        pool.submit(() -> IntStream.range(0, real).parallel().forEach(c -> {
            int from = c * step;
            body.run(from, Math.min(n, from + step));
        })).join();
    }

    public void shutdown() { pool.shutdown(); }
}
