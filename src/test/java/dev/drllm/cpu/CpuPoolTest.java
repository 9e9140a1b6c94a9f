package dev.drllm.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuPoolTest {
    @Test
    void everyIndexRunsExactlyOnceOnAlignedChunks() {
        try (CpuPool pool = new CpuPool(3)) {
            for (int n : new int[]{1, 5, 64, 1000, 4099}) {
                for (int grain : new int[]{1, 4, 7}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    pool.forRange(n, grain, Long.MAX_VALUE, (from, to, worker) -> {
                        assertTrue(from % grain == 0, "chunk start " + from + " not a multiple of " + grain);
                        assertTrue(worker >= 0 && worker < 3);
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void failuresReachTheCallerAndThePoolStaysUsable() {
        try (CpuPool pool = new CpuPool(2)) {
            assertThrows(IllegalStateException.class, () -> pool.forRange(100, 1, Long.MAX_VALUE, (f, t, w) -> {
                if (f <= 50 && 50 < t) throw new IllegalStateException("boom");
            }));
            AtomicIntegerArray hits = new AtomicIntegerArray(100);
            pool.forRange(100, 1, Long.MAX_VALUE, (f, t, w) -> { for (int i = f; i < t; i++) hits.incrementAndGet(i); });
            for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void concurrentCallersAndNestedLoopsComplete() throws InterruptedException {
        try (CpuPool pool = new CpuPool(2)) {
            Thread[] ts = new Thread[4];
            AtomicIntegerArray total = new AtomicIntegerArray(1);
            for (int k = 0; k < ts.length; k++) {
                ts[k] = new Thread(() -> {
                    for (int rep = 0; rep < 200; rep++) {
                        pool.forRange(64, 1, Long.MAX_VALUE, (f, t, w) ->
                                pool.forRange(t - f, 1, Long.MAX_VALUE, (f2, t2, w2) -> total.addAndGet(0, t2 - f2)));
                    }
                });
                ts[k].start();
            }
            for (Thread t : ts) t.join(60_000);
            assertEquals(4 * 200 * 64, total.get(0));
        }
    }

    /**
     * More workers than cores, so some are not scheduled when a loop starts or wake after it has
     * ended: the caller must not wait for them, a latecomer must not run a chunk of a loop it did
     * not join (or of the next loop with the last one's fields), and every index still runs exactly
     * once per loop. Loops of different sizes and bodies alternate, so a stale worker that ran the
     * wrong loop's body would leave a count off.
     */
    @Test
    void oversubscribedPoolRunsEveryChunkOnceAndNeverWaitsForLatecomers() {
        int threads = 4 * Runtime.getRuntime().availableProcessors() + 1;
        try (CpuPool pool = new CpuPool(threads)) {
            int[] sizes = {3, 17, 64, 250};
            AtomicIntegerArray[] hits = new AtomicIntegerArray[sizes.length];
            for (int k = 0; k < sizes.length; k++) hits[k] = new AtomicIntegerArray(sizes[k]);
            int rounds = 5000;
            for (int r = 0; r < rounds; r++) {
                int k = r % sizes.length;
                AtomicIntegerArray h = hits[k];
                pool.forRange(sizes[k], 1, Long.MAX_VALUE, (from, to, worker) -> {
                    assertTrue(worker >= 0 && worker < threads);
                    for (int i = from; i < to; i++) h.incrementAndGet(i);
                }, 4);
            }
            for (int k = 0; k < sizes.length; k++) {
                for (int i = 0; i < sizes[k]; i++) assertEquals(rounds / sizes.length, hits[k].get(i), "loop size " + sizes[k] + ", index " + i);
            }
        }
    }
}
