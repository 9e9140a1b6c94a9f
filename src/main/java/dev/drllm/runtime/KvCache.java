package dev.drllm.runtime;

/**
 * Keys and values for one sequence, one cache per execution slot of its {@link LayerPath}
 * (DESIGN.md §2: a repeated block gets its own slot, unlike the reference code that appends the
 * repeat's keys twice into one per-layer cache). Every slot holds the same positions.
 */
public interface KvCache extends AutoCloseable {
    int slots();

    int capacity();

    /** Positions already committed (the next token's position). */
    int length();

    /** Commits {@code n} positions written by the last block calls. */
    void advance(int n);

    /** Forgets positions from {@code length} on (used to reuse a prompt prefix). */
    void truncate(int length);

    @Override
    default void close() {}
}
