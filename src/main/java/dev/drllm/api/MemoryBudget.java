package dev.drllm.api;

import dev.drllm.runtime.Backend;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all running generations of one model hold together. A generation reserves an upper
 * bound of everything it will allocate (KV cache, activations and scratch, logits, sampling,
 * prompt and output ids: {@link #requestBytes}) before it allocates anything, and gives it back
 * when it ends, however it ends. So the sum never outgrows {@link Limits#memoryBudgetBytes()}, and
 * a request that would not fit is refused before any work instead of running into an
 * {@code OutOfMemoryError} half-way.
 */
final class MemoryBudget {
    /** Objects of a request that do not scale with it (generation, session, stream, cache and scratch objects, headers). */
    static final long FIXED_BYTES = 16 << 10;

    private final long total;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long total) { this.total = total; }

    /**
     * An upper bound of what one generation holds at any moment: the backend's sequence (KV cache
     * of {@code slots} slots, activations, scratch, one logits row: {@link Backend#sequenceBytes})
     * plus what the generation itself keeps — the previous logits row while the next is computed,
     * temperature sampling's per-token probabilities and order ({@code double} + boxed index per
     * vocabulary entry), the prompt and output ids with their copies in the result, and the
     * decoded text.
     */
    static long requestBytes(Backend backend, int slots, int promptTokens, int maxNew) {
        int capacity = promptTokens + Math.max(maxNew, 1);
        long vocab = backend.config().vocabSize();
        long own = vocab * Float.BYTES                         // the previous logits row
                + vocab * (Double.BYTES + 4 + 16)              // Sampler: p[], Integer[] order (compressed refs) and the Integers
                + 2L * (promptTokens + maxNew) * Integer.BYTES // ids, and their copies in the result
                + 64L * maxNew                                 // streamed and decoded text (UTF-16, pieces and the whole)
                + FIXED_BYTES;
        long seq = backend.sequenceBytes(slots, capacity, promptTokens);
        long sum = seq + own;
        return seq < 0 || sum < 0 ? Long.MAX_VALUE : sum;
    }

    void reserve(long bytes, String what) {
        while (true) {
            long u = used.get();
            long free = total - u;
            if (bytes > free) {
                String why = bytes > total
                        ? "exceeds the whole memory budget of " + total + " bytes"
                        : "does not fit: " + free + " of " + total + " budget bytes are free (the rest is held by running generations)";
                throw new LimitExceededException(LimitExceededException.Limit.MEMORY, bytes, free,
                        "memory of " + bytes + " bytes (KV cache, activations, scratch) for " + what + " " + why);
            }
            if (used.compareAndSet(u, u + bytes)) return;
        }
    }

    void release(long bytes) { used.addAndGet(-bytes); }

    long used() { return used.get(); }

    long total() { return total; }
}
