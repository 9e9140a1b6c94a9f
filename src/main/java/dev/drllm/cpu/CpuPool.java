package dev.drllm.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CPU backend's fixed worker pool: {@code threads - 1} daemon workers plus the calling thread
 * (default: one per core; {@code -Ddrllm.threads=N} or the constructor). A parallel loop hands out
 * chunks through one atomic counter, so a core slowed by a neighbouring process takes fewer
 * chunks. Dispatch allocates nothing: a decode step issues ~10 loops per layer, and a fork/join
 * task tree per loop cost more than the small matrices it split.
 *
 * <p>Idle workers spin briefly then park: spinning longer would burn a core that, on a shared
 * machine, another process needs; parking at once would add a wake-up (~10–50 µs) to every loop.
 *
 * <p>The caller waits only for the workers that <em>joined</em> the loop, never for one that was
 * not scheduled in time: once the caller has run out of chunks it closes the loop, and a worker
 * that wakes later finds it closed and goes back to waiting. (Waiting for every worker made each
 * loop as slow as the slowest scheduler wake-up: with other processes on the cores, decode on the
 * tiny model fell from ~1000 to ~40–400 tok/s.) The gate word packs the loop's epoch, a closed
 * bit and the number of workers that joined, so a worker can only join the loop whose fields it
 * read, and the fields stay unchanged until every joined worker has finished.
 */
public final class CpuPool implements AutoCloseable {
    /** A body over [from, to) of an index range, run on worker {@code worker} (0 = the caller). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to, int worker);
    }

    private static final int SPINS = 20_000;

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger nextChunk = new AtomicInteger();
    /** (epoch << 32) | CLOSED? | workers joined. */
    private final AtomicLong gate = new AtomicLong();
    private static final long CLOSED = 1L << 31;
    private static final long JOINED = CLOSED - 1;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile int epoch;
    private volatile boolean shutdown;
    private volatile Thread caller;
    // The loop being run; written by the caller before the epoch is bumped (a volatile write).
    private RangeBody body;
    private int n, step, chunks;
    private volatile Throwable failure;

    public CpuPool(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = new Thread[this.threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "drllm-cpu-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** {@code -Ddrllm.threads=N} when set to a positive integer, else the number of cores. */
    public static int defaultThreads() {
        String p = System.getProperty("drllm.threads");
        if (p != null && !p.isBlank()) {
            try {
                int v = Integer.parseInt(p.strip());
                if (v > 0) return v;
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() { return threads; }

    /** The workers' thread ids (not the caller's), for tests that account for what a loop allocates on every thread. */
    long[] workerIds() {
        long[] ids = new long[workers.length];
        for (int i = 0; i < ids.length; i++) ids[i] = workers[i].threadId();
        return ids;
    }

    /**
     * Runs {@code body} over [0, n) in chunks whose starts are multiples of {@code grain}. Runs
     * inline when {@code work} (≈ multiply-adds) is too small to pay for waking the workers, when
     * called from inside a loop, or while another thread holds the pool (callers on distinct
     * sequences then each compute on their own thread instead of queueing).
     */
    public void forRange(int n, int grain, long work, RangeBody body) {
        forRange(n, grain, work, body, 4);
    }

    /** {@link #forRange(int, int, long, RangeBody)} in up to {@code chunksPerThread} chunks per thread. */
    public void forRange(int n, int grain, long work, RangeBody body, int chunksPerThread) {
        if (n <= 0) return;
        grain = Math.max(1, grain);
        if (threads == 1 || n <= grain || work < 65_536 || lock.isHeldByCurrentThread() || !lock.tryLock()) {
            body.run(0, n, 0);
            return;
        }
        try {
            int units = (n + grain - 1) / grain;
            int target = Math.min(units, threads * Math.max(1, chunksPerThread));
            int unitsPerChunk = (units + target - 1) / target;
            this.body = body;
            this.n = n;
            this.step = unitsPerChunk * grain;
            this.chunks = (n + step - 1) / step;
            this.failure = null;
            this.caller = Thread.currentThread();
            nextChunk.set(0);
            finished.set(0);
            int next = epoch + 1;
            gate.set((long) next << 32); // open, nobody joined yet
            epoch = next;             // publishes the fields above to the workers that see it
            for (Thread w : workers) LockSupport.unpark(w);
            runChunks(0);
            // out of chunks: close the loop to latecomers, then wait for those that joined
            long g = gate.getAndUpdate(v -> v | CLOSED);
            int joined = (int) (g & JOINED);
            int spins = 0;
            while (finished.get() < joined) {
                if (++spins < SPINS) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 50_000);
            }
            this.body = null;
            Throwable f = failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
        } finally {
            lock.unlock();
        }
    }

    private void runChunks(int worker) {
        RangeBody b = body;
        int c;
        while ((c = nextChunk.getAndIncrement()) < chunks) {
            int from = c * step;
            try {
                b.run(from, Math.min(n, from + step), worker);
            } catch (Throwable t) {
                failure = t;
                nextChunk.set(chunks);
            }
        }
    }

    private void workerLoop(int id) {
        int seen = 0;
        while (!shutdown) {
            int spins = 0;
            while (epoch == seen && !shutdown) {
                if (++spins < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (shutdown) return;
            seen = epoch;
            if (!join(seen)) continue; // the caller finished this loop without us
            runChunks(id);
            finished.incrementAndGet();
            LockSupport.unpark(caller);
        }
    }

    /** Joins loop {@code e} if it is still the open one; false when it closed (or a newer one began). */
    private boolean join(int e) {
        long g = gate.get();
        while ((int) (g >>> 32) == e && (g & CLOSED) == 0) {
            if (gate.compareAndSet(g, g + 1)) return true;
            g = gate.get();
        }
        return false;
    }

    public void shutdown() {
        shutdown = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }

    @Override
    public void close() { shutdown(); }
}
