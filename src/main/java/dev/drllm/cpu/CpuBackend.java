package dev.drllm.cpu;

import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.Tensor;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.KvPositions;

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
        long params = model.weights().embedTokens().numel();
        for (LayerWeights w : model.weights().layers()) {
            for (Tensor t : new Tensor[] {w.wq(), w.wk(), w.wv(), w.wo(), w.wGate(), w.wUp(), w.wDown()}) params += t.numel();
        }
        KernelWarmup.modelOpened(params);
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
        /** The scratch of the sequence whose blocks last ran on this state (reused by {@link #logits}). */
        Scratch scratch;

        CpuHidden(float[] data, int tokens) {
            this.data = data;
            this.tokens = tokens;
        }

        @Override
        public int tokens() { return tokens; }

        public float[] data() { return data; }
    }

    /** Per-slot key / value arrays, [capacity, kvDim] each, plus the sequence's scratch buffers. */
    public static final class CpuKvCache extends KvPositions {
        final float[][] k, v;
        final int kvDim;
        Scratch scratch;
        /** The one-token state of this sequence's decode steps ({@link #embedStep}). */
        CpuHidden step;

        CpuKvCache(int slots, int capacity, int kvDim) {
            super(slots, capacity);
            this.k = new float[slots][];
            this.v = new float[slots][];
            this.kvDim = kvDim;
        }

        /** Slots are allocated on first use, so a cache sized for 2L slots costs only the slots a path runs. */
        void ensure(int s) {
            if (k[s] == null) {
                k[s] = new float[capacity() * kvDim];
                v[s] = new float[capacity() * kvDim];
            }
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

    /**
     * What a sequence allocates here, term by term: the f32 key and value slots; {@link Scratch}
     * sized for the prompt (kept for the whole generation); its {@link MatmulJob} (worker tiles,
     * and from {@link CpuKernels#GEMM_T_MIN} tokens the transposed activations, off-heap, and the
     * GEMM output); {@link Attention}'s per-worker score rows and transposed keys; the embedded
     * state plus the two copies a routed prefill may make (router pooling reads a host copy; a
     * capped path embeds again); one logits row.
     */
    @Override
    public long sequenceBytes(int slots, int capacity, int promptTokens) {
        long H = c.hiddenSize(), qd = c.qDim(), kvd = c.kvDim(), F = c.intermediateSize(), half = c.headDim() / 2;
        long T = Math.max(1, promptTokens), W = pool.threads();
        long kv = 2L * slots * capacity * kvd;
        long scratch = T * (3 * H + 3 * qd + 2 * kvd + 3 * F + 2 * half);
        long job = W * CpuKernels.WBUF;
        if (T >= CpuKernels.GEMM_T_MIN) {
            long tp = CpuKernels.paddedTokens((int) T);
            long in = Math.max(H, Math.max(qd, F)), rows = Math.max(qd + 2 * kvd, Math.max(H, 2 * F));
            job += 2 * (in * tp + CpuKernels.XT_ALIGN) + rows * tp;
        }
        long ldk = ((long) capacity + CpuKernels.SCORE_BLOCK - 1) / CpuKernels.SCORE_BLOCK * CpuKernels.SCORE_BLOCK;
        long attention = W * (c.numHeads() / c.numKvHeads()) * ((long) capacity + CpuKernels.SCORE_BLOCK) + kvd * ldk;
        long states = 3 * T * H + c.vocabSize();
        long floats = kv + scratch + job + attention + states;
        return floats < 0 || floats > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : floats * Float.BYTES;
    }

    @Override
    public Hidden embed(int[] tokens) {
        int H = c.hiddenSize();
        float[] x = new float[tokens.length * H];
        Tensor e = model.weights().embedTokens();
        for (int t = 0; t < tokens.length; t++) {
            int id = tokens[t];
            if (id < 0 || id >= c.vocabSize()) throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (c.vocabSize() - 1) + ")");
            e.readRow(id, x, t * H);
        }
        return new CpuHidden(x, tokens.length);
    }

    /** Writes into the cache's one-token state: a decode step allocates nothing. */
    @Override
    public Hidden embedStep(int token, KvCache kv) {
        CpuKvCache cache = (CpuKvCache) kv;
        if (token < 0 || token >= c.vocabSize()) throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.." + (c.vocabSize() - 1) + ")");
        CpuHidden x = cache.step;
        if (x == null) x = cache.step = new CpuHidden(new float[c.hiddenSize()], 1);
        model.weights().embedTokens().readRow(token, x.data, 0);
        return x;
    }

    /** Enough for a service's usual concurrency; what they hold counts against the API's memory budget. */
    @Override
    public int idleSequences() { return 8; }

    private Scratch scratch(CpuKvCache cache, int tokens) {
        Scratch s = cache.scratch;
        if (s == null) s = cache.scratch = new Scratch(c, pool.threads(), cache.capacity());
        s.ensure(tokens);
        return s;
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
        cache.requireRoom(T);
        int pos0 = cache.length();
        Scratch s = scratch(cache, T);
        x.scratch = s;
        float eps = c.rmsNormEps();

        // attention
        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(x.data, t * H, s.h, t * H, inputNorm[layer], H, eps);
        s.mm.begin(s.h, s.hp, T, H).add(w.wq(), s.q).add(w.wk(), s.k).add(w.wv(), s.v).run(pool);
        addBias(s.q, T, bq[layer]);
        addBias(s.k, T, bk[layer]);
        addBias(s.v, T, bv[layer]);
        ropeTables(s, pos0, T);
        int half = hd / 2;
        for (int t = 0; t < T; t++) {
            if (qNorm[layer] != null) {
                for (int hh = 0; hh < c.numHeads(); hh++) CpuKernels.rmsnorm(s.q, t * qd + hh * hd, s.q, t * qd + hh * hd, qNorm[layer], hd, eps);
                for (int hh = 0; hh < c.numKvHeads(); hh++) CpuKernels.rmsnorm(s.k, t * kvd + hh * hd, s.k, t * kvd + hh * hd, kNorm[layer], hd, eps);
            }
            if (c.ropeInterleaved()) {
                CpuKernels.ropeInterleaved(s.q, t * qd, c.numHeads(), hd, s.cos, s.sin, t * half);
                CpuKernels.ropeInterleaved(s.k, t * kvd, c.numKvHeads(), hd, s.cos, s.sin, t * half);
            } else {
                CpuKernels.rope(s.q, t * qd, c.numHeads(), hd, s.cos, s.sin, t * half);
                CpuKernels.rope(s.k, t * kvd, c.numKvHeads(), hd, s.cos, s.sin, t * half);
            }
        }
        cache.ensure(slot);
        float[] kc = cache.k[slot], vc = cache.v[slot];
        System.arraycopy(s.k, 0, kc, pos0 * kvd, T * kvd);
        System.arraycopy(s.v, 0, vc, pos0 * kvd, T * kvd);
        s.attention.run(pool, s.q, kc, vc, s.att, T, pos0);
        s.mm.begin(s.att, s.attp, T, qd).add(w.wo(), s.o).run(pool);
        addBias(s.o, T, bo[layer]);
        CpuKernels.add(x.data, s.o, T * H);

        // MLP
        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(x.data, t * H, s.h, t * H, postNorm[layer], H, eps);
        s.mm.begin(s.h, s.hp, T, H).add(w.wGate(), s.g).add(w.wUp(), s.u).run(pool);
        addBias(s.g, T, bGate[layer]);
        addBias(s.u, T, bUp[layer]);
        pool.forRange(T, 1, (long) T * F * 8, s.siluRows);
        s.mm.begin(s.g, s.gp, T, F).add(w.wDown(), s.o).run(pool);
        addBias(s.o, T, bDown[layer]);
        CpuKernels.add(x.data, s.o, T * H);
    }

    /** cos / sin of position × inverse frequency, in f32 as transformers forms them; once per forward, not per block. */
    private void ropeTables(Scratch s, int pos0, int tokens) {
        if (s.ropePos0 == pos0 && s.ropeTokens == tokens) return;
        CpuKernels.ropeTables(invFreq, pos0, tokens, s.cos, s.sin);
        s.ropePos0 = pos0;
        s.ropeTokens = tokens;
    }

    @Override
    public float[] finalNorm(Hidden hidden) {
        CpuHidden x = (CpuHidden) hidden;
        int H = c.hiddenSize();
        float[] out = new float[x.tokens * H];
        for (int t = 0; t < x.tokens; t++) CpuKernels.rmsnorm(x.data, t * H, out, t * H, finalNormW, H, c.rmsNormEps());
        return out;
    }

    /** A new [tokens, vocab] array (or the last row); {@link #lastLogits} writes into the caller's row instead. */
    @Override
    public float[] logits(Hidden hidden, boolean lastOnly) {
        CpuHidden x = (CpuHidden) hidden;
        int from = lastOnly ? x.tokens - 1 : 0;
        return logits(x, from, new float[(x.tokens - from) * c.vocabSize()]);
    }

    /** The norm and the LM head's activations reuse the sequence's scratch, so this allocates nothing. */
    @Override
    public float[] lastLogits(Hidden hidden, float[] out) {
        CpuHidden x = (CpuHidden) hidden;
        if (out.length < c.vocabSize()) throw new IllegalArgumentException("a logits row needs " + c.vocabSize() + " floats, got " + out.length);
        return logits(x, x.tokens - 1, out);
    }

    private float[] logits(CpuHidden x, int from, float[] out) {
        int H = c.hiddenSize();
        int T = x.tokens - from;
        Scratch s = x.scratch;
        MatmulJob job;
        float[] normed, split;
        if (s != null && s.capTokens >= T) {
            normed = s.h;
            split = s.hp;
            job = s.mm;
        } else {
            normed = new float[T * H];
            split = new float[T * H];
            job = new MatmulJob(pool.threads());
        }
        for (int t = 0; t < T; t++) CpuKernels.rmsnorm(x.data, (from + t) * H, normed, t * H, finalNormW, H, c.rmsNormEps());
        job.begin(normed, split, T, H).add(model.weights().lmHead(), out).run(pool);
        return out;
    }

    /** Router pooling straight from the state: on the host there is no copy to make (a routed prefill pools every layer). */
    @Override
    public float[] windowMeans(Hidden hidden, int windows, int windowSize) {
        return Backend.windowMeans(((CpuHidden) hidden).data, c.hiddenSize(), windows, windowSize);
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
