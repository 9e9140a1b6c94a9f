package dev.drllm.kernels;

import dev.drllm.cpu.CpuWorkspace;

/**
 * Scratch memory and worker threads for {@link Kernels#matmul} and {@link Kernels#attention}:
 * buffers grow to the largest call and are reused, so a steady stream of calls allocates nothing.
 * The calling thread works too, with {@code threads − 1} daemon workers.
 *
 * <p><b>Not thread-safe</b>: one call at a time. Give each thread its own workspace (they are
 * cheap) or guard one with a lock. Close it to stop its workers.
 */
public final class Workspace implements AutoCloseable {
    final CpuWorkspace impl;

    private Workspace(int threads) {
        this.impl = new CpuWorkspace(threads);
    }

    /** A workspace computing on {@code threads} threads (the caller included); 1 = the caller only. */
    public static Workspace create(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return new Workspace(threads);
    }

    /** A single-threaded workspace: everything runs on the calling thread. */
    public static Workspace singleThreaded() { return create(1); }

    public int threads() { return impl.threads(); }

    @Override
    public void close() { impl.close(); }
}
