package dev.drllm.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        run(items, threads, threadName, open, work, item -> Next.GO);
    }

    /** What a {@link Gate} says about the next item. */
    public enum Next {
        /** Claim it. */
        GO,
        /** Ask again once an item in flight has finished (taken as GO when none is in flight). */
        WAIT,
        /** Claim no further item; the items in flight finish. */
        STOP
    }

    /** Asked, under the claim lock, before each item is claimed: may it start now? */
    @FunctionalInterface
    public interface Gate<T> {
        Next before(T item);
    }

    /**
     * As {@link #run(List, int, String, Supplier, Work)}, with {@code gate} asked before each claim.
     * A gate that answers {@link Next#WAIT} holds the claiming thread until an item in flight
     * finishes, so a job whose stopping point depends on results still running does not start items
     * it will not use.
     */
    public static <T, R extends AutoCloseable> void run(List<T> items, int threads, String threadName, Supplier<R> open, Work<R, T> work,
                                                        Gate<T> gate) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        Claims<T> claims = new Claims<>(items, gate);
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
                        T item;
                        while ((item = claims.claim()) != null) {
                            boolean ok = false;
                            try {
                                work.run(resource, item);
                                ok = true;
                            } finally {
                                claims.finished(ok);
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        claims.fail();
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

    /** The claim counter, the items in flight and the gate, under one lock. */
    private static final class Claims<T> {
        private final List<T> items;
        private final Gate<T> gate;
        private int next, inFlight;
        private boolean failed;

        Claims(List<T> items, Gate<T> gate) {
            this.items = items;
            this.gate = gate;
        }

        /** The next item to work on, or null once there is none, the gate said STOP or a worker failed. */
        synchronized T claim() {
            while (!failed && next < items.size()) {
                Next d = gate.before(items.get(next));
                if (d == Next.STOP) return null;
                if (d == Next.GO || inFlight == 0) {
                    inFlight++;
                    return items.get(next++);
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the items in flight", e);
                }
            }
            return null;
        }

        /**
         * An item ended; a failed one stops the claims in the same step, so a thread held by the
         * gate cannot see nothing in flight and go before the failure is known.
         */
        synchronized void finished(boolean ok) {
            if (!ok) failed = true;
            inFlight--;
            notifyAll();
        }

        synchronized void fail() {
            failed = true;
            notifyAll();
        }
    }
}
