package dev.drllm.cpu;

import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.Tensor;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;

import java.util.Arrays;

/**
 * The executable specification: a transformer block exactly as transformers computes it (Llama,
 * Qwen2, Qwen3), in f32 over the mapped bf16 / f16 / f32 weights.
 */
public final class CpuBackend implements Backend {
    private final Model model;
    private final ModelConfig c;
    private final CpuPool pool;
    private final float[][] inputNorm, postNorm, qNorm, kNorm, bq, bk, bv, bo, bGate, bUp, bDown;
    private final float[] finalNormW;
    private final float[] invFreq;

    public CpuBackend(Model model) {
        this(model, CpuPool.defaultThreads());
    }

    public CpuBackend(Model model, int threads) {
        this.model = model;
        this.c = model.config();
        this.pool = new CpuPool(threads);
        int L = c.numLayers();
        inputNorm = new float[L][];
        postNorm = new float[L][];
        qNorm = new float[L][];
        kNorm = new float[L][];
        bq = new float[L][];
        bk = new float[L][];
        bv = new float[L][];
        bo = new float[L][];
        bGate = new float[L][];
        bUp = new float[L][];
        bDown = new float[L][];
        for (int l = 0; l < L; l++) {
            LayerWeights w = model.weights().layers().get(l);
            inputNorm[l] = w.inputNorm().toFloatArray();
            postNorm[l] = w.postAttentionNorm().toFloatArray();
            qNorm[l] = floats(w.qNorm());
            kNorm[l] = floats(w.kNorm());
            bq[l] = floats(w.bq());
            bk[l] = floats(w.bk());
            bv[l] = floats(w.bv());
            bo[l] = floats(w.bo());
            bGate[l] = floats(w.bGate());
            bUp[l] = floats(w.bUp());
            bDown[l] = floats(w.bDown());
        }
        finalNormW = model.weights().finalNorm().toFloatArray();
        invFreq = c.ropeInverseFrequencies();
    }

    private static float[] floats(Tensor t) {
        return t == null ? null : t.toFloatArray();
    }

    @Override
    public String name() { return "cpu"; }

    @Override
    public ModelConfig config() { return c; }

    public Model model() { return model; }

    public CpuPool pool() { return pool; }

    /** Host activations: [tokens, hidden] floats. */
    public static final class CpuHidden implements Hidden {
        final float[] data;
        final int tokens;

        CpuHidden(float[] data, int tokens) {
            this.data = data;
            this.tokens = tokens;
        }

        @Override
        public int tokens() { return tokens; }

        public float[] data() { return data; }
    }

    /** Per-slot key / value arrays, [capacity, kvDim] each. */
    public static final class CpuKvCache implements KvCache {
        final float[][] k, v;
        final int capacity, kvDim;
        int length;

        CpuKvCache(int slots, int capacity, int kvDim) {
            this.k = new float[slots][];
            this.v = new float[slots][];
            this.capacity = capacity;
            this.kvDim = kvDim;
        }

        /** Slots are allocated on first use, so a cache sized for 2L slots costs only the slots a path runs. */
        void ensure(int s) {
            if (k[s] == null) {
                k[s] = new float[capacity * kvDim];
                v[s] = new float[capacity * kvDim];
            }
        }

        @Override public int slots() { return k.length; }
        @Override public int capacity() { return capacity; }
        @Override public int length() { return length; }

        @Override
        public void advance(int n) {
            if (length + n > capacity) throw new ContextLengthException("KV cache full: " + (length + n) + " > capacity " + capacity);
            length += n;
        }

        @Override
        public void truncate(int len) {
            if (len < 0 || len > length) throw new IllegalArgumentException("cannot truncate to " + len + " (length " + length + ")");
            length = len;
        }
    }

    @Override
    public KvCache newCache(int slots, int capacity) {
        long bytes = 2L * slots * capacity * c.kvDim() * 4L;
        if ((long) capacity * c.kvDim() > Integer.MAX_VALUE - 8) {
            throw new ContextLengthException("KV slot of " + capacity + " positions is too large for the CPU backend");
        }
        if (bytes < 0) throw new ContextLengthException("KV cache size overflows");
        return new CpuKvCache(slots, capacity, c.kvDim());
    }

    @Override
    public Hidden embed(int[] tokens) {
        int H = c.hiddenSize();
        float[] x = new float[tokens.length * H];
        Tensor e = model.weights().embedTokens();
        for (int t = 0; t < tokens.length; t++) {
            int id = tokens[t];
            if (id < 0 || id >= c.vocabSize()) throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (c.vocabSize() - 1) + ")");
            long base = (long) id * H;
            for (int i = 0; i < H; i++) x[t * H + i] = e.getFloat(base + i);
        }
        return new CpuHidden(x, tokens.length);
    }

    private void matmul(float[] x, int tokens, int in, Tensor w, float[] y, int out) {
        pool.forRange(out, (long) tokens * in * out / 8, (r0, r1) -> CpuKernels.matmulRows(x, tokens, in, w, y, out, r0, r1));
    }

    private static void addBias(float[] y, int tokens, float[] b) {
        if (b == null) return;
        int n = b.length;
        for (int t = 0; t < tokens; t++) for (int i = 0; i < n; i++) y[t * n + i] += b[i];
    }

    @Override
    public void block(int layer, Hidden hidden, KvCache kv, int slot) {
        CpuHidden x = (CpuHidden) hidden;
        CpuKvCache cache = (CpuKvCache) kv;
        LayerWeights w = model.weights().layers().get(layer);
        int T = x.tokens, H = c.hiddenSize(), qd = c.qDim(), kvd = c.kvDim(), hd = c.headDim(), F = c.intermediateSize();
        int pos0 = cache.length;
        if (pos0 + T > cache.capacity) {
            throw new ContextLengthException("positions " + pos0 + ".." + (pos0 + T - 1) + " exceed the KV cache capacity " + cache.capacity);
        }
        float eps = c.rmsNormEps();
        float[] h = new float[T * H];
        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(x.data, t * H, h, t * H, inputNorm[layer], H, eps);
        float[] q = new float[T * qd], k = new float[T * kvd], v = new float[T * kvd];
        matmul(h, T, H, w.wq(), q, qd);
        matmul(h, T, H, w.wk(), k, kvd);
        matmul(h, T, H, w.wv(), v, kvd);
        addBias(q, T, bq[layer]);
        addBias(k, T, bk[layer]);
        addBias(v, T, bv[layer]);
        int half = hd / 2;
        float[] cos = new float[half], sin = new float[half];
        for (int t = 0; t < T; t++) {
            if (qNorm[layer] != null) {
                for (int hh = 0; hh < c.numHeads(); hh++) CpuKernels.rmsnorm(q, t * qd + hh * hd, q, t * qd + hh * hd, qNorm[layer], hd, eps);
                for (int hh = 0; hh < c.numKvHeads(); hh++) CpuKernels.rmsnorm(k, t * kvd + hh * hd, k, t * kvd + hh * hd, kNorm[layer], hd, eps);
            }
            ropeTables(pos0 + t, cos, sin);
            CpuKernels.rope(q, t * qd, c.numHeads(), hd, cos, sin);
            CpuKernels.rope(k, t * kvd, c.numKvHeads(), hd, cos, sin);
        }
        cache.ensure(slot);
        float[] kc = cache.k[slot], vc = cache.v[slot];
        System.arraycopy(k, 0, kc, pos0 * kvd, T * kvd);
        System.arraycopy(v, 0, vc, pos0 * kvd, T * kvd);

        float[] att = new float[T * qd];
        attention(q, kc, vc, att, T, pos0);
        float[] o = new float[T * H];
        matmul(att, T, qd, w.wo(), o, H);
        addBias(o, T, bo[layer]);
        for (int i = 0; i < T * H; i++) x.data[i] += o[i];

        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(x.data, t * H, h, t * H, postNorm[layer], H, eps);
        float[] g = new float[T * F], u = new float[T * F];
        matmul(h, T, H, w.wGate(), g, F);
        matmul(h, T, H, w.wUp(), u, F);
        addBias(g, T, bGate[layer]);
        addBias(u, T, bUp[layer]);
        for (int i = 0; i < T * F; i++) g[i] = CpuKernels.silu(g[i]) * u[i];
        matmul(g, T, F, w.wDown(), o, H);
        addBias(o, T, bDown[layer]);
        for (int i = 0; i < T * H; i++) x.data[i] += o[i];
    }

    /** cos / sin of position × inverse frequency, in f32 as transformers forms them. */
    private void ropeTables(int pos, float[] cos, float[] sin) {
        for (int i = 0; i < cos.length; i++) {
            float f = invFreq[i] * (float) pos;
            cos[i] = (float) Math.cos(f);
            sin[i] = (float) Math.sin(f);
        }
    }

    /** Causal GQA attention of T new queries over the slot's keys 0 .. pos0 + t. */
    private void attention(float[] q, float[] kc, float[] vc, float[] out, int T, int pos0) {
        int nh = c.numHeads(), hd = c.headDim(), kvd = c.kvDim(), qd = c.qDim();
        int group = nh / c.numKvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        long work = (long) T * nh * (pos0 + T) * hd;
        pool.forRange(T * nh, work, (from, to) -> {
            float[] scores = new float[pos0 + T];
            for (int idx = from; idx < to; idx++) {
                int t = idx / nh, hh = idx % nh;
                int kvh = hh / group;
                int n = pos0 + t + 1;
                int qo = t * qd + hh * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    float s = CpuKernels.dot(q, qo, kc, j * kvd + kvh * hd, hd) * scale;
                    scores[j] = s;
                    if (s > max) max = s;
                }
                float sum = 0;
                for (int j = 0; j < n; j++) {
                    float e = (float) Math.exp(scores[j] - max);
                    scores[j] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                Arrays.fill(out, qo, qo + hd, 0f);
                for (int j = 0; j < n; j++) CpuKernels.axpy(scores[j] * inv, vc, j * kvd + kvh * hd, out, qo, hd);
            }
        });
    }

    @Override
    public float[] finalNorm(Hidden hidden) {
        CpuHidden x = (CpuHidden) hidden;
        int H = c.hiddenSize();
        float[] out = new float[x.tokens * H];
        for (int t = 0; t < x.tokens; t++) CpuKernels.rmsnorm(x.data, t * H, out, t * H, finalNormW, H, c.rmsNormEps());
        return out;
    }

    @Override
    public float[] logits(Hidden hidden, boolean lastOnly) {
        CpuHidden x = (CpuHidden) hidden;
        int H = c.hiddenSize(), V = c.vocabSize();
        int from = lastOnly ? x.tokens - 1 : 0;
        int T = x.tokens - from;
        float[] normed = new float[T * H];
        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(x.data, (from + t) * H, normed, t * H, finalNormW, H, c.rmsNormEps());
        float[] out = new float[T * V];
        matmul(normed, T, H, model.weights().lmHead(), out, V);
        return out;
    }

    @Override
    public float[] read(Hidden hidden) {
        return ((CpuHidden) hidden).data.clone();
    }

    @Override
    public Hidden copy(Hidden hidden) {
        CpuHidden x = (CpuHidden) hidden;
        return new CpuHidden(x.data.clone(), x.tokens);
    }

    @Override
    public Hidden upload(float[] data, int tokens) {
        if (data.length != tokens * c.hiddenSize()) throw new IllegalArgumentException("expected " + tokens * c.hiddenSize() + " floats, got " + data.length);
        return new CpuHidden(data.clone(), tokens);
    }

    @Override
    public void copySlot(KvCache src, int srcSlot, KvCache dst, int dstSlot, int positions) {
        CpuKvCache s = (CpuKvCache) src, d = (CpuKvCache) dst;
        int n = positions * s.kvDim;
        if (s.k[srcSlot] == null) return;
        d.ensure(dstSlot);
        System.arraycopy(s.k[srcSlot], 0, d.k[dstSlot], 0, n);
        System.arraycopy(s.v[srcSlot], 0, d.v[dstSlot], 0, n);
    }

    @Override
    public void close() { pool.shutdown(); }
}
