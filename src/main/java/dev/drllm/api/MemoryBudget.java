package dev.drllm.api;

import dev.drllm.runtime.Backend;
import dev.drllm.runtime.KvCache;

import java.lang.ref.SoftReference;

/**
 * The memory all generations of one model hold together, running or idle. A generation reserves
 * an upper bound of everything it will allocate (KV cache, activations and scratch, logits,
 * sampling, prompt and output ids: {@link #requestBytes}) before it allocates anything, and gives
 * it back when it ends, however it ends. So the sum never outgrows {@link Limits#memoryBudgetBytes()},
 * and a request that would not fit is refused before any work instead of running into an
 * {@code OutOfMemoryError} half-way.
 *
 * <p><b>Idle sequences.</b> A generation that ends without an error leaves its {@link Sequence}
 * (KV cache with the backend's scratch in it, and a logits row) here, up to
 * {@link Backend#idleSequences()} of them, so the next request that fits reuses it instead of
 * allocating it again: after warm-up a service's requests make no garbage of that size. An idle
 * sequence still counts against the budget ({@link #idle()}; {@link DrLlm#memoryInUse()} reports
 * the running generations only), but it never costs a request its room: a reservation that does
 * not fit beside the idle ones evicts them, oldest first, and is refused only when it would not
 * fit without any. They are held softly, so the collector drops them rather than run out of heap
 * (an entry found cleared is simply forgotten), and {@link #closeIdle()} drops them when the
 * model closes. Thread-safe.
 */
final class MemoryBudget {
    /** Objects of a request that do not scale with it (generation, session, stream, cache and scratch objects, headers). */
    static final long FIXED_BYTES = 16 << 10;

    /**
     * One sequence's reusable state: a KV cache of {@code slots} × {@code capacity} (created at the
     * generation's first step), the scratch inside it sized for the longest prompt it has run, and
     * a logits row. Owned by one generation at a time.
     */
    static final class Sequence {
        final int slots, capacity;
        /** The longest prompt this sequence's scratch has been sized for (what {@link Backend#sequenceBytes} bounds). */
        int promptTokens;
        KvCache cache;
        float[] logits;
        /** What the owning generation reserved (0 while idle). */
        long reserved;

        Sequence(int slots, int capacity, int promptTokens) {
            this.slots = slots;
            this.capacity = capacity;
            this.promptTokens = promptTokens;
        }
    }

    private final long total;
    private final Backend backend;
    private final int maxIdle;
    /** Guarded by {@code this}: running reservations, and the idle sequences with their bytes, oldest first. */
    private long used, idleBytes;
    private final SoftReference<?>[] idle;
    private final int[] idleSlots, idleCapacity;
    private final long[] idleSize;
    private int idleCount;
    private boolean closed;

    MemoryBudget(long total, Backend backend) {
        this.total = total;
        this.backend = backend;
        this.maxIdle = Math.max(0, backend.idleSequences());
        this.idle = new SoftReference<?>[maxIdle];
        this.idleSlots = new int[maxIdle];
        this.idleCapacity = new int[maxIdle];
        this.idleSize = new long[maxIdle];
    }

    /**
     * An upper bound of what one generation holds at any moment: the backend's sequence (KV cache
     * of {@code slots} slots, activations, scratch, one logits row: {@link Backend#sequenceBytes})
     * plus what the generation itself keeps ({@link #ownBytes}).
     */
    static long requestBytes(Backend backend, int slots, int promptTokens, int maxNew) {
        int capacity = promptTokens + Math.max(maxNew, 1);
        return plus(backend.sequenceBytes(slots, capacity, promptTokens), ownBytes(backend, promptTokens, maxNew));
    }

    /**
     * What a generation keeps beside its sequence: the previous logits row while the next is
     * computed, temperature sampling's per-token probabilities and order ({@code double} + boxed
     * index per vocabulary entry), the prompt and output ids with their copies in the result, and
     * the decoded text.
     */
    static long ownBytes(Backend backend, int promptTokens, int maxNew) {
        long vocab = backend.config().vocabSize();
        return vocab * Float.BYTES                             // the previous logits row
                + vocab * (Double.BYTES + 4 + 16)              // Sampler: p[], Integer[] order (compressed refs) and the Integers
                + 2L * (promptTokens + maxNew) * Integer.BYTES // ids, and their copies in the result
                + 64L * maxNew                                 // streamed and decoded text (UTF-16, pieces and the whole)
                + FIXED_BYTES;
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return a < 0 || b < 0 || sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Reserves what a generation needs and returns the sequence it runs on: an idle one that has
     * room for {@code fresh}'s slots and capacity when there is one (the reservation then bounds
     * that sequence, which may be larger), else {@code fresh}. Its {@link Sequence#reserved} holds
     * the bytes to give back.
     *
     * @param own what the generation keeps beside its sequence ({@link #ownBytes})
     * @throws LimitExceededException it does not fit beside the running generations
     */
    synchronized Sequence reserve(Sequence fresh, long own, String what) {
        Sequence reuse = takeIdle(fresh.slots, fresh.capacity);
        if (reuse != null) {
            int prompt = Math.max(reuse.promptTokens, fresh.promptTokens);
            long bytes = plus(backend.sequenceBytes(reuse.slots, reuse.capacity, prompt), own);
            if (admit(bytes)) {
                reuse.promptTokens = prompt;
                reuse.reserved = bytes;
                return reuse;
            }
            // larger than this request needs and too large for the room left: drop it, allocate to size
            if (reuse.cache != null) reuse.cache.close();
            reuse.cache = null;
            reuse.logits = null;
        }
        long bytes = plus(backend.sequenceBytes(fresh.slots, fresh.capacity, fresh.promptTokens), own);
        if (!admit(bytes)) {
            long free = total - used;
            String why = bytes > total
                    ? "exceeds the whole memory budget of " + total + " bytes"
                    : "does not fit: " + free + " of " + total + " budget bytes are free (the rest is held by running generations)";
            throw new LimitExceededException(LimitExceededException.Limit.MEMORY, bytes, free,
                    "memory of " + bytes + " bytes (KV cache, activations, scratch) for " + what + " " + why);
        }
        fresh.reserved = bytes;
        return fresh;
    }

    /** Counts {@code bytes} when they fit beside the running generations, evicting idle sequences as needed. */
    private boolean admit(long bytes) {
        if (bytes > total - used) return false;
        while (idleCount > 0 && bytes > total - used - idleBytes) evictOldest();
        used += bytes;
        return true;
    }

    /**
     * Gives a generation's reservation back. With {@code keep} (it ended without an error) and room
     * among the idle ones, its sequence stays for the next request (cache rewound to empty);
     * otherwise the cache is closed. Allocates nothing but the soft reference (and survives failing
     * to), so it is safe on a full heap.
     */
    synchronized void release(Sequence s, boolean keep) {
        used -= s.reserved;
        s.reserved = 0;
        KvCache cache = s.cache;
        if (cache == null) return;
        if (keep && !closed && maxIdle > 0) {
            long size = backend.sequenceBytes(s.slots, s.capacity, s.promptTokens);
            if (size <= total - used) {
                try {
                    SoftReference<Sequence> ref = new SoftReference<>(s);
                    cache.truncate(0);
                    if (idleCount == maxIdle) evictOldest();
                    while (idleCount > 0 && size > total - used - idleBytes) evictOldest();
                    idle[idleCount] = ref;
                    idleSlots[idleCount] = s.slots;
                    idleCapacity[idleCount] = s.capacity;
                    idleSize[idleCount] = size;
                    idleCount++;
                    idleBytes += size;
                    return;
                } catch (OutOfMemoryError e) {
                    // no room for the reference: close it as if it were not kept
                }
            }
        }
        s.cache = null;
        s.logits = null;
        cache.close();
    }

    /** Removes and returns the smallest idle sequence with at least these slots and capacity, or null. */
    private Sequence takeIdle(int slots, int capacity) {
        while (true) {
            int best = -1;
            for (int i = 0; i < idleCount; i++) {
                if (idleSlots[i] >= slots && idleCapacity[i] >= capacity && (best < 0 || idleSize[i] <= idleSize[best])) best = i;
            }
            if (best < 0) return null;
            Sequence s = (Sequence) idle[best].get();
            remove(best);
            if (s != null) return s; // else the collector dropped it: look again
        }
    }

    private void evictOldest() {
        Sequence s = (Sequence) idle[0].get();
        remove(0);
        if (s != null && s.cache != null) {
            KvCache c = s.cache;
            s.cache = null;
            s.logits = null;
            c.close();
        }
    }

    private void remove(int i) {
        idleBytes -= idleSize[i];
        int tail = idleCount - i - 1;
        System.arraycopy(idle, i + 1, idle, i, tail);
        System.arraycopy(idleSlots, i + 1, idleSlots, i, tail);
        System.arraycopy(idleCapacity, i + 1, idleCapacity, i, tail);
        System.arraycopy(idleSize, i + 1, idleSize, i, tail);
        idle[--idleCount] = null;
    }

    /** Drops every idle sequence and keeps none from now on (the model is closing). */
    synchronized void closeIdle() {
        closed = true;
        while (idleCount > 0) evictOldest();
    }

    /** Bytes of running generations' reservations. */
    synchronized long used() { return used; }

    /** Bytes the idle sequences count for (given back to any request that needs the room). */
    synchronized long idle() { return idleBytes; }

    long total() { return total; }
}
