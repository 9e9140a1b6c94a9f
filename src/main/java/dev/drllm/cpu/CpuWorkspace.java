package dev.drllm.cpu;

import dev.drllm.model.Tensor;

/**
 * The engine's matrix and attention dispatch (MatmulJob, Attention, the worker pool) for callers
 * outside a model: the implementation behind the public {@code dev.drllm.kernels.Workspace}. Use
 * that; this class is internal and may change. Not thread-safe: one call at a time.
 */
public final class CpuWorkspace implements AutoCloseable {
    private final CpuPool pool;
    private final MatmulJob mm;
    private float[] split = new float[0];
    private Attention attention;
    private int heads, kvHeads, headDim, capacity;

    public CpuWorkspace(int threads) {
        this.pool = new CpuPool(threads);
        this.mm = new MatmulJob(pool.threads());
    }

    public int threads() { return pool.threads(); }

    /** y [tokens, rows] = x [tokens, cols] · Wᵀ, as a transformer block's projections run. */
    public void matmul(Tensor w, float[] x, int tokens, float[] y) {
        int in = w.dim(1);
        if (split.length < tokens * in) split = new float[tokens * in];
        mm.begin(x, split, tokens, in).add(w, y).run(pool);
    }

    /** Causal grouped-query attention of {@code tokens} queries at positions pos0… over one KV slot. */
    public void attention(float[] q, float[] keys, float[] values, float[] out, int tokens, int pos0, int heads, int kvHeads, int headDim) {
        int need = pos0 + tokens;
        if (attention == null || this.heads != heads || this.kvHeads != kvHeads || this.headDim != headDim || capacity < need) {
            capacity = Math.max(need, 2 * capacity);
            attention = new Attention(heads, kvHeads, headDim, pool.threads(), capacity);
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.headDim = headDim;
        }
        attention.run(pool, q, keys, values, out, tokens, pos0);
    }

    @Override
    public void close() { pool.shutdown(); }
}
