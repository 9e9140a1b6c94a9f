package dev.drllm.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The KV-cache bytes all running generations of one model hold together. A generation reserves
 * its worst case before it allocates anything and releases it when it ends, so the sum can never
 * outgrow the budget (and the heap can never run out because of KV caches).
 */
final class KvBudget {
    private final long total;
    private final AtomicLong used = new AtomicLong();

    KvBudget(long total) { this.total = total; }

    /**
     * Bytes of a cache with {@code slots} execution slots of {@code positions} positions: keys and
     * values, {@code kvDim} floats each. f32 is the widest layout a backend uses, so this bounds
     * every backend.
     */
    static long bytes(int slots, int positions, int kvDim) {
        try {
            return Math.multiplyExact(Math.multiplyExact(2L * slots, (long) positions), (long) kvDim * Float.BYTES);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    void reserve(long bytes, String what) {
        while (true) {
            long u = used.get();
            long free = total - u;
            if (bytes > free) {
                String why = bytes > total
                        ? "exceeds the whole KV budget of " + total + " bytes"
                        : "does not fit: " + free + " of " + total + " budget bytes are free (the rest is held by running generations)";
                throw new LimitExceededException(LimitExceededException.Limit.KV_MEMORY, bytes, free,
                        "KV cache of " + bytes + " bytes for " + what + " " + why);
            }
            if (used.compareAndSet(u, u + bytes)) return;
        }
    }

    void release(long bytes) { used.addAndGet(-bytes); }

    long used() { return used.get(); }

    long total() { return total; }
}
