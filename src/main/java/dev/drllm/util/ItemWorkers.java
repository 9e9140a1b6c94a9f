package dev.drllm.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Long per-item jobs (MCTS over questions, edit scans) on a few threads, each thread with a
 * resource of its own (a model worker: backend, scratch, caches) opened once and closed at the end.
 * Threads claim items in order from one counter, so a slow item never holds up the others; the
 * first failure stops further claims, lets the items in flight finish, and is rethrown.
 */
public final class ItemWorkers {
    /** What one thread does with one item, using its own resource. */
    @FunctionalInterface
    public interface Work<R, T> {
        void run(R resource, T item);
    }

    private ItemWorkers() {}

    public static <T, R extends AutoCloseable> void run(List<T> items, int threads, String threadName, Supplier<R> open, Work<R, T> work) {
        run(items, threads, threadName, open, work, () -> false);
    }

    /**
     * As {@link #run(List, int, String, Supplier, Work)}, but no further item is claimed once
     * {@code enough} returns true (checked before each claim; the items in flight finish).
     */
    public static <T, R extends AutoCloseable> void run(List<T> items, int threads, String threadName, Supplier<R> open, Work<R, T> work,
                                                        BooleanSupplier enough) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        int n = Math.min(threads, Math.max(1, items.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                fs.add(pool.submit(() -> {
                    try (R resource = open.get()) {
                        int i;
                        while (!failed.get() && !enough.getAsBoolean() && (i = next.getAndIncrement()) < items.size()) work.run(resource, items.get(i));
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            RuntimeException first = null;
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (first != null) throw first;
        } finally {
            pool.shutdownNow();
        }
    }
}
