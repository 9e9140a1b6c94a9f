package dev.drllm.cpu;

import dev.drllm.model.ModelConfig;

/**
 * Causal grouped-query attention of T new tokens over one KV slot, parallel over (token, KV head).
 * The query heads sharing a KV head are scored together so each key row is loaded once per group;
 * scores and softmax use the vector kernels. Score rows live in per-worker buffers sized to the
 * cache capacity, so the loop allocates nothing.
 *
 * <p>Prompts of at least {@link #BLOCKED_MIN} tokens (head size a multiple of the vector width)
 * first transpose the slot's keys per KV head, so a query's scores come out {@link CpuKernels#LANES}
 * keys per vector ({@link CpuKernels#scoresT}) instead of one horizontal sum per key, and the
 * weighted sum of values keeps its accumulators in registers across keys ({@link CpuKernels#pv}).
 * Decode (one token) keeps the per-key path: it has no transposed keys to amortise.
 */
final class Attention implements CpuPool.RangeBody {
    static final int BLOCKED_MIN = 16;
    private final int nh, nkv, hd, kvd, qd, group;
    private final float scale;
    private final float[][] scores;
    private float[] q, kc, vc, out;
    private int pos0, tokens;
    /** Blocked path: keys transposed per KV head, kT[(kvh · hd + d) · ldk + j], ldk a multiple of {@link CpuKernels#SCORE_BLOCK}. */
    private float[] kT;
    private int ldk;
    private boolean blocked;
    /** This call runs the vector bodies whatever the warm-up's switches say (a large call). */
    private boolean vector;

    Attention(ModelConfig c, int workers, int capacity) {
        this(c.numHeads(), c.numKvHeads(), c.headDim(), workers, capacity);
    }

    /** {@code heads} query heads in groups over {@code kvHeads} KV heads of {@code headDim}, KV slots of up to {@code capacity} positions. */
    Attention(int heads, int kvHeads, int headDim, int workers, int capacity) {
        nh = heads;
        nkv = kvHeads;
        hd = headDim;
        kvd = kvHeads * headDim;
        qd = heads * headDim;
        group = nh / nkv;
        scale = (float) (1.0 / Math.sqrt(hd));
        // room for the blocked path's rows, padded to whole score blocks
        scores = new float[workers][group * (capacity + CpuKernels.SCORE_BLOCK)];
    }

    void run(CpuPool pool, float[] q, float[] kc, float[] vc, float[] out, int tokens, int pos0) {
        this.q = q;
        this.kc = kc;
        this.vc = vc;
        this.out = out;
        this.pos0 = pos0;
        this.tokens = tokens;
        blocked = tokens >= BLOCKED_MIN && hd % CpuKernels.LANES == 0;
        if (blocked) transposeKeys(pos0 + tokens);
        long work = (long) tokens * nh * (pos0 + tokens) * hd * 2;
        // a large call runs the vector kernels even before the warm-up switched them (see KernelWarmup.large)
        vector = KernelWarmup.large(work);
        // Causal rows grow with t: the chunks are handed out latest tokens first, the cheap ones
        // last, and small, so the two threads finish together (in token order the most expensive
        // chunk came last and one thread waited for it).
        pool.forRange(tokens * nkv, 1, work, this, 16);
        this.q = this.kc = this.vc = this.out = null;
    }

    private void transposeKeys(int n) {
        ldk = (n + CpuKernels.SCORE_BLOCK - 1) / CpuKernels.SCORE_BLOCK * CpuKernels.SCORE_BLOCK;
        int need = nkv * hd * ldk;
        if (kT == null || kT.length < need) kT = new float[need];
        for (int kvh = 0; kvh < nkv; kvh++) {
            int base = kvh * hd * ldk;
            for (int j = 0; j < n; j++) {
                int src = j * kvd + kvh * hd;
                for (int d = 0; d < hd; d++) kT[base + d * ldk + j] = kc[src + d];
            }
            // padding keys score 0 and are never read past n, but stay finite
            for (int d = 0; d < hd; d++) java.util.Arrays.fill(kT, base + d * ldk + n, base + (d + 1) * ldk, 0f);
        }
    }

    @Override
    public void run(int from, int to, int worker) {
        float[] s = scores[worker];
        for (int idx = from; idx < to; idx++) {
            int t = tokens - 1 - idx / nkv, kvh = idx % nkv;
            int n = pos0 + t + 1;
            int q0 = t * qd + kvh * group * hd;
            if (blocked) {
                int nb = (n + CpuKernels.SCORE_BLOCK - 1) / CpuKernels.SCORE_BLOCK * CpuKernels.SCORE_BLOCK;
                for (int g = 0; g < group; g++) {
                    int so = g * nb, oo = q0 + g * hd;
                    if (vector) {
                        CpuKernels.scoresTVec(q, oo, kT, kvh * hd * ldk, ldk, hd, nb, s, so, scale);
                        CpuKernels.softmaxVec(s, so, n);
                        CpuKernels.pvVec(s, so, n, vc, kvh * hd, kvd, hd, out, oo);
                    } else {
                        CpuKernels.scoresT(q, oo, kT, kvh * hd * ldk, ldk, hd, nb, s, so, scale);
                        CpuKernels.softmax(s, so, n);
                        CpuKernels.pv(s, so, n, vc, kvh * hd, kvd, hd, out, oo);
                    }
                }
                continue;
            }
            for (int j = 0; j < n; j++) {
                int ko = j * kvd + kvh * hd;
                for (int g = 0; g < group; g++) {
                    s[g * n + j] = (vector ? CpuKernels.dotVec(q, q0 + g * hd, kc, ko, hd) : CpuKernels.dot(q, q0 + g * hd, kc, ko, hd)) * scale;
                }
            }
            for (int g = 0; g < group; g++) {
                if (vector) CpuKernels.softmaxVec(s, g * n, n);
                else CpuKernels.softmax(s, g * n, n);
                int oo = q0 + g * hd;
                java.util.Arrays.fill(out, oo, oo + hd, 0f);
                for (int j = 0; j < n; j++) {
                    if (vector) CpuKernels.axpyVec(s[g * n + j], vc, j * kvd + kvh * hd, out, oo, hd);
                    else CpuKernels.axpy(s[g * n + j], vc, j * kvd + kvh * hd, out, oo, hd);
                }
            }
        }
    }
}
