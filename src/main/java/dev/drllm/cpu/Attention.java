package dev.drllm.cpu;

import dev.drllm.model.ModelConfig;

/**
 * Causal grouped-query attention of T new tokens over one KV slot, parallel over (token, KV head).
 * The query heads sharing a KV head are scored together so each key row is loaded once per group;
 * scores and softmax use the vector kernels. Score rows live in per-worker buffers sized to the
 * cache capacity, so the loop allocates nothing.
 */
final class Attention implements CpuPool.RangeBody {
    private final int nh, nkv, hd, kvd, qd, group;
    private final float scale;
    private final float[][] scores;
    private float[] q, kc, vc, out;
    private int pos0, tokens;

    Attention(ModelConfig c, int workers, int capacity) {
        nh = c.numHeads();
        nkv = c.numKvHeads();
        hd = c.headDim();
        kvd = c.kvDim();
        qd = c.qDim();
        group = nh / nkv;
        scale = (float) (1.0 / Math.sqrt(hd));
        scores = new float[workers][group * capacity];
    }

    void run(CpuPool pool, float[] q, float[] kc, float[] vc, float[] out, int tokens, int pos0) {
        this.q = q;
        this.kc = kc;
        this.vc = vc;
        this.out = out;
        this.pos0 = pos0;
        this.tokens = tokens;
        long work = (long) tokens * nh * (pos0 + tokens) * hd * 2;
        // Causal rows grow with t: the chunks are handed out latest tokens first, the cheap ones
        // last, and small, so the two threads finish together (in token order the most expensive
        // chunk came last and one thread waited for it).
        pool.forRange(tokens * nkv, 1, work, this, 16);
        this.q = this.kc = this.vc = this.out = null;
    }

    @Override
    public void run(int from, int to, int worker) {
        float[] s = scores[worker];
        for (int idx = from; idx < to; idx++) {
            int t = tokens - 1 - idx / nkv, kvh = idx % nkv;
            int n = pos0 + t + 1;
            int q0 = t * qd + kvh * group * hd;
            for (int j = 0; j < n; j++) {
                int ko = j * kvd + kvh * hd;
                for (int g = 0; g < group; g++) s[g * n + j] = CpuKernels.dot(q, q0 + g * hd, kc, ko, hd) * scale;
            }
            for (int g = 0; g < group; g++) {
                CpuKernels.softmax(s, g * n, n);
                int oo = q0 + g * hd;
                java.util.Arrays.fill(out, oo, oo + hd, 0f);
                for (int j = 0; j < n; j++) CpuKernels.axpy(s[g * n + j], vc, j * kvd + kvh * hd, out, oo, hd);
            }
        }
    }
}
