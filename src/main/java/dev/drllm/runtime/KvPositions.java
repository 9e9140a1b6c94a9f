package dev.drllm.runtime;

/**
 * The position bookkeeping every backend's {@link KvCache} shares: how many positions are
 * committed, the capacity, and the guard a block runs before writing new keys and values.
 * Backends extend it and add their own per-slot storage.
 */
public abstract class KvPositions implements KvCache {
    private final int slots;
    private final int capacity;
    private int length;

    protected KvPositions(int slots, int capacity) {
        this.slots = slots;
        this.capacity = capacity;
    }

    @Override public final int slots() { return slots; }
    @Override public final int capacity() { return capacity; }
    @Override public final int length() { return length; }

    @Override
    public final void advance(int n) {
        if (length + n > capacity) throw new ContextLengthException("KV cache full: " + (length + n) + " > capacity " + capacity);
        length += n;
    }

    @Override
    public final void truncate(int len) {
        if (len < 0 || len > length) throw new IllegalArgumentException("cannot truncate to " + len + " (length " + length + ")");
        length = len;
    }

    /** Throws unless {@code tokens} new positions fit after the committed ones. */
    public final void requireRoom(int tokens) {
        if (length + tokens > capacity) {
            throw new ContextLengthException("positions " + length + ".." + (length + tokens - 1) + " exceed the KV cache capacity " + capacity);
        }
    }
}
