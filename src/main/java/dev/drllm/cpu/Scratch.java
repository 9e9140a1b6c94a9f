package dev.drllm.cpu;

import dev.drllm.model.ModelConfig;

/**
 * One sequence's working buffers, kept with its KV cache so a decode step allocates nothing in
 * the blocks: sized for the largest batch of tokens seen (the prompt), reused by every later call.
 */
final class Scratch {
    final int H, qd, kvd, F, half;
    int capTokens;
    float[] h, hp, q, k, v, att, attp, o, g, u, gp;
    /** RoPE tables for positions ropePos0 .. ropePos0 + ropeTokens − 1, shared by every block of one forward. */
    float[] cos, sin;
    int ropePos0 = -1, ropeTokens;
    final MatmulJob mm;
    final Attention attention;
    /**
     * silu(g) · u over token rows [from, to), for the pool: row by row, so each element takes the
     * same vector-or-tail path whatever the chunking (and as in decode).
     */
    final CpuPool.RangeBody siluRows;

    Scratch(ModelConfig c, int workers, int kvCapacity) {
        H = c.hiddenSize();
        qd = c.qDim();
        kvd = c.kvDim();
        F = c.intermediateSize();
        half = c.headDim() / 2;
        mm = new MatmulJob(workers);
        attention = new Attention(c, workers, kvCapacity);
        siluRows = (from, to, worker) -> {
            for (int t = from; t < to; t++) CpuKernels.siluMul(g, u, t * F, F);
        };
        ensure(1);
    }

    void ensure(int tokens) {
        if (tokens <= capTokens) return;
        capTokens = tokens;
        h = new float[tokens * H];
        hp = new float[tokens * H];
        q = new float[tokens * qd];
        k = new float[tokens * kvd];
        v = new float[tokens * kvd];
        att = new float[tokens * qd];
        attp = new float[tokens * qd];
        o = new float[tokens * H];
        g = new float[tokens * F];
        u = new float[tokens * F];
        gp = new float[tokens * F];
        cos = new float[tokens * half];
        sin = new float[tokens * half];
        ropePos0 = -1;
    }
}
