package dev.drllm.cuda;

import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.KvPositions;

/**
 * The GPU backend: weights and activations in device memory, the residual stream in f32, matrices in
 * bf16 with f32 accumulation. A block over a few tokens (decode) runs on the fused GEMV kernels
 * (norm, SwiGLU and the residual add folded in, f32 activations); longer prompts use cuBLAS with
 * bf16 activations. Calls are serialised on the backend's single stream.
 */
public final class CudaBackend implements Backend {
    /** At most this many tokens take the GEMV path; more go through cuBLAS. */
    public static final int DEFAULT_GEMV_MAX_TOKENS = 8;

    private final Model model;
    private final ModelConfig c;
    private final CudaContext cu;
    private final CudaKernels k;
    private final CudaWeights w;
    private final Scratch scratch;
    private final int gemvMaxTokens;
    private static final long BF16 = 2;
    private boolean closed;

    public CudaBackend(Model model) {
        this(model, DEFAULT_GEMV_MAX_TOKENS);
    }

    /** @param gemvMaxTokens tokens up to which blocks use the GEMV kernels (0: always cuBLAS; tests use both) */
    public CudaBackend(Model model, int gemvMaxTokens) {
        CudaRuntime.require();
        this.model = model;
        this.c = model.config();
        LaunchGeometry.checkModel(c.headDim(), c.numHeads(), c.numKvHeads());
        this.gemvMaxTokens = gemvMaxTokens;
        this.cu = new CudaContext(0);
        try {
            this.k = new CudaKernels(cu);
            this.w = new CudaWeights(cu, model);
            this.scratch = new Scratch(cu);
        } catch (RuntimeException e) {
            cu.close();
            throw e;
        }
    }

    @Override
    public String name() { return "cuda"; }

    @Override
    public ModelConfig config() { return c; }

    public Model model() { return model; }

    public CudaContext context() { return cu; }

    public CudaKernels kernels() { return k; }

    public CudaWeights weights() { return w; }

    /** The residual stream on the device: [tokens, hidden] f32. */
    public final class CudaHidden implements Hidden {
        final long ptr;
        final int tokens;
        private boolean freed;

        CudaHidden(long ptr, int tokens) {
            this.ptr = ptr;
            this.tokens = tokens;
        }

        @Override
        public int tokens() { return tokens; }

        public long pointer() { return ptr; }

        @Override
        public void close() {
            if (!freed && !closed) cu.free(ptr);
            freed = true;
        }
    }

    /**
     * One sequence's keys and values, one bf16 [capacity, kvDim] array per execution slot and per K / V,
     * allocated when a slot is first written. The committed length lives on the device too (seqPos),
     * where the kernels read the position of the first new token.
     */
    public final class CudaKvCache extends KvPositions {
        final long[] k, v;
        final long seqPos;
        int uploadedPos = -1;

        CudaKvCache(int slots, int capacity) {
            super(slots, capacity);
            this.k = new long[slots];
            this.v = new long[slots];
            this.seqPos = cu.alloc(4);
        }

        void ensure(int s) {
            if (s < 0 || s >= k.length) throw new IllegalArgumentException("slot " + s + " outside 0.." + (k.length - 1));
            if (k[s] == 0) {
                long bytes = new KvLayout(1, capacity(), c.kvDim()).slotBytes();
                k[s] = cu.alloc(bytes);
                v[s] = cu.alloc(bytes);
            }
        }

        long positionPointer() {
            if (uploadedPos != length()) {
                cu.upload(seqPos, new int[]{length()});
                uploadedPos = length();
            }
            return seqPos;
        }


        @Override
        public void close() {
            if (closed) return;
            for (int s = 0; s < k.length; s++) {
                cu.free(k[s]);
                cu.free(v[s]);
                k[s] = v[s] = 0;
            }
            cu.free(seqPos);
        }
    }

    @Override
    public synchronized KvCache newCache(int slots, int capacity) {
        if (slots <= 0 || capacity <= 0) throw new IllegalArgumentException("cache of " + slots + " slots x " + capacity + " positions");
        return new CudaKvCache(slots, capacity);
    }

    @Override
    public synchronized Hidden embed(int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens to embed");
        for (int id : tokens) {
            if (id < 0 || id >= c.vocabSize()) throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (c.vocabSize() - 1) + ")");
        }
        int H = c.hiddenSize();
        long ids = scratch.get("ids", 4L * tokens.length);
        cu.upload(ids, tokens);
        long x = cu.alloc(4L * tokens.length * H);
        k.embedGather(ids, w.embed, x, tokens.length, H, c.vocabSize());
        return new CudaHidden(x, tokens.length);
    }

    @Override
    public synchronized void block(int layer, Hidden hidden, KvCache kv, int slot) {
        CudaHidden x = (CudaHidden) hidden;
        CudaKvCache cache = (CudaKvCache) kv;
        int T = x.tokens;
        cache.requireRoom(T);
        if (layer < 0 || layer >= c.numLayers()) throw new IllegalArgumentException("layer " + layer + " outside 0.." + (c.numLayers() - 1));
        cache.ensure(slot);
        runBlock(layer, x.ptr, T, cache.k[slot], cache.v[slot], cache.capacity(), cache.positionPointer());
    }

    /**
     * Block {@code layer} on T consecutive tokens of one sequence at x (device [T, H] f32), keys and
     * values into the slot arrays kc / vc ([capacity, kvDim] bf16 of this sequence), the first
     * token's position read from the device int at {@code pos}. Shared with {@link CudaDecoder}'s prefill.
     */
    synchronized void runBlock(int layer, long x, int T, long kc, long vc, int capacity, long pos) {
        if (T <= gemvMaxTokens) blockGemv(layer, x, kc, vc, capacity, pos, T);
        else blockGemm(layer, x, kc, vc, capacity, pos, T);
    }

    private void blockGemv(int layer, long xp, long kc, long vc, int capacity, long pos, int T) {
        CudaWeights.Layer L = w.layers.get(layer);
        int H = c.hiddenSize(), qd = c.qDim(), kvd = c.kvDim(), F = c.intermediateSize(), hd = c.headDim();
        int nh = c.numHeads(), nkv = c.numKvHeads(), qkvW = qd + 2 * kvd;
        float eps = c.rmsNormEps();
        long qkv = scratch.get("qkv", 4L * T * qkvW);
        long att = scratch.get("att", 4L * T * qd);
        long gu = scratch.get("gu", 8L * T * F);
        k.gemv(xp, H, CudaKernels.RMSNORM, L.inNorm(), eps, L.wqkv(), 0, qkv, qkvW, false, T, H, qkvW, 0);
        k.qkvPost(qkv, qkvW, L.bqkv(), L.qNorm(), L.kNorm(), eps, w.invFreq, 0, pos, kc, vc, (long) capacity * kvd, T, nh, nkv, hd, 0);
        attention(qkv, qkvW, kc, vc, capacity, pos, T, att, 0, qd);
        k.gemv(att, qd, CudaKernels.PLAIN, 0, 0f, L.wo(), L.bo(), xp, H, true, T, qd, H, 0);
        k.gemv(xp, H, CudaKernels.RMSNORM, L.postNorm(), eps, L.wgu(), L.bgu(), gu, 2 * F, false, T, H, 2 * F, 0);
        k.gemv(gu, 2 * F, CudaKernels.SWIGLU, 0, 0f, L.wdown(), L.bdown(), xp, H, true, T, F, H, 0);
    }

    private void blockGemm(int layer, long xp, long kc, long vc, int capacity, long pos, int T) {
        CudaWeights.Layer L = w.layers.get(layer);
        int H = c.hiddenSize(), qd = c.qDim(), kvd = c.kvDim(), F = c.intermediateSize(), hd = c.headDim();
        int nh = c.numHeads(), nkv = c.numKvHeads(), qkvW = qd + 2 * kvd;
        float eps = c.rmsNormEps();
        long hB = scratch.get("hB", BF16 * T * Math.max(Math.max(H, F), qd));
        long qkv = scratch.get("qkv", 4L * T * qkvW);
        long gu = scratch.get("gu", 8L * T * F);
        k.addRmsnorm(xp, 0, L.inNorm(), 0, hB, T, H, eps, 0);
        cu.gemm(hB, L.wqkv(), qkv, T, H, qkvW, qkvW, false);
        k.qkvPost(qkv, qkvW, L.bqkv(), L.qNorm(), L.kNorm(), eps, w.invFreq, 0, pos, kc, vc, (long) capacity * kvd, T, nh, nkv, hd, 0);
        attention(qkv, qkvW, kc, vc, capacity, pos, T, 0, hB, qd);
        cu.gemm(hB, L.wo(), xp, T, qd, H, H, true);
        if (L.bo() != 0) k.biasAdd(xp, L.bo(), T, H, H);
        k.addRmsnorm(xp, 0, L.postNorm(), 0, hB, T, H, eps, 0);
        cu.gemm(hB, L.wgu(), gu, T, H, 2 * F, 2 * F, false);
        if (L.bgu() != 0) k.biasAdd(gu, L.bgu(), T, 2 * F, 2 * F);
        k.swiglu(gu, 0, hB, T, F);
        cu.gemm(hB, L.wdown(), xp, T, F, H, H, true);
        if (L.bdown() != 0) k.biasAdd(xp, L.bdown(), T, H, H);
    }

    /** One new token: split-K decode attention; several: the tiled prefill kernel. */
    private void attention(long qkv, int qkvW, long kc, long vc, int capacity, long pos, int T, long outF, long outB, int qd) {
        int nh = c.numHeads(), nkv = c.numKvHeads(), hd = c.headDim();
        if (T == 1) {
            LaunchGeometry.Splits sp = LaunchGeometry.decodeSplits(capacity);
            long pm = scratch.get("pm", 4L * nh * sp.count());
            long pl = scratch.get("pl", 4L * nh * sp.count());
            long pacc = scratch.get("pacc", 4L * nh * sp.count() * hd);
            k.attnDecode(qkv, qkvW, kc, vc, (long) capacity * c.kvDim(), 0, pos, 1, nh, nkv, hd, sp, pm, pl, pacc, outF, outB, qd, 0);
        } else {
            k.attnPrefill(qkv, qkvW, kc, vc, pos, T, nh, nkv, hd, outF, outB, qd);
        }
    }

    @Override
    public synchronized float[] logits(Hidden hidden, boolean lastOnly) {
        CudaHidden x = (CudaHidden) hidden;
        int H = c.hiddenSize(), V = c.vocabSize();
        int from = lastOnly ? x.tokens - 1 : 0, T = x.tokens - from;
        long xr = x.ptr + 4L * from * H;
        long out = scratch.get("logits", 4L * T * V);
        if (T <= gemvMaxTokens) {
            k.gemv(xr, H, CudaKernels.RMSNORM, w.finalNorm, c.rmsNormEps(), w.lmHead, 0, out, V, false, T, H, V, 0);
        } else {
            long normed = scratch.get("normF", 4L * T * H);
            long hB = scratch.get("hB", BF16 * T * Math.max(Math.max(H, c.intermediateSize()), c.qDim()));
            cu.copy(normed, xr, 4L * T * H);
            k.addRmsnorm(normed, 0, w.finalNorm, 0, hB, T, H, c.rmsNormEps(), 0);
            cu.gemm(hB, w.lmHead, out, T, H, V, V, false);
        }
        return cu.downloadFloats(out, T * V);
    }

    @Override
    public synchronized float[] finalNorm(Hidden hidden) {
        CudaHidden x = (CudaHidden) hidden;
        int H = c.hiddenSize();
        long tmp = scratch.get("normF", 4L * x.tokens * H);
        long out = scratch.get("normOut", 4L * x.tokens * H);
        cu.copy(tmp, x.ptr, 4L * x.tokens * H);
        k.addRmsnorm(tmp, 0, w.finalNorm, out, 0, x.tokens, H, c.rmsNormEps(), 0);
        return cu.downloadFloats(out, x.tokens * H);
    }

    @Override
    public synchronized float[] read(Hidden hidden) {
        CudaHidden x = (CudaHidden) hidden;
        return cu.downloadFloats(x.ptr, x.tokens * c.hiddenSize());
    }

    /** Pools on the device (kernel router_pool) so only windows·H floats come back, not the whole [T, H] state. */
    @Override
    public synchronized float[] windowMeans(Hidden hidden, int windows, int windowSize) {
        CudaHidden x = (CudaHidden) hidden;
        // router_pool derives ws = T / windows itself; any other split goes the host way
        if (windows < 1 || windows > x.tokens || x.tokens / windows != windowSize) return Backend.super.windowMeans(hidden, windows, windowSize);
        int H = c.hiddenSize();
        long pooled = scratch.get("routerPooled", 4L * windows * H);
        k.routerPool(x.ptr, x.tokens, H, windows, pooled);
        return cu.downloadFloats(pooled, windows * H);
    }

    @Override
    public synchronized Hidden copy(Hidden hidden) {
        CudaHidden x = (CudaHidden) hidden;
        long bytes = 4L * x.tokens * c.hiddenSize();
        long p = cu.alloc(bytes);
        cu.copy(p, x.ptr, bytes);
        return new CudaHidden(p, x.tokens);
    }

    @Override
    public synchronized void copySlot(KvCache src, int srcSlot, KvCache dst, int dstSlot, int positions) {
        CudaKvCache s = (CudaKvCache) src, d = (CudaKvCache) dst;
        if (s.k[srcSlot] == 0) return;
        if (positions > d.capacity() || positions > s.capacity()) throw new IllegalArgumentException("copy of " + positions + " positions exceeds a cache");
        d.ensure(dstSlot);
        long bytes = 2L * positions * c.kvDim();
        cu.copy(d.k[dstSlot], s.k[srcSlot], bytes);
        cu.copy(d.v[dstSlot], s.v[srcSlot], bytes);
    }

    @Override
    public synchronized Hidden upload(float[] data, int tokens) {
        if (data.length != tokens * c.hiddenSize()) throw new IllegalArgumentException("expected " + tokens * c.hiddenSize() + " floats, got " + data.length);
        long p = cu.alloc(4L * data.length);
        cu.upload(p, data);
        return new CudaHidden(p, tokens);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        try {
            scratch.close();
            w.close();
        } finally {
            cu.close();
            closed = true;
        }
    }
}
