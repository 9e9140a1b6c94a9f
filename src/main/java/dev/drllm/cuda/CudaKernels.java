package dev.drllm.cuda;

/**
 * Typed launches of the kernels in kernels/*.cu: one method per kernel, arguments in the order of
 * native/drllm_kernels.h, geometry from {@link LaunchGeometry}. Every pointer is a device pointer;
 * 0 stands for a nullable argument left out.
 */
public final class CudaKernels {
    /** Modes of gemv_bf16: how the input is transformed while staged. */
    public static final int PLAIN = 0, RMSNORM = 1, SWIGLU = 2;

    /** Every kernel in the module, resolved up front so no module lookup happens during graph capture. */
    public static final String[] NAMES = {"embed_gather", "add_rmsnorm", "qkv_post", "attn_prefill", "attn_decode_partial",
            "attn_decode_combine", "gemv_bf16_t1", "gemv_bf16_t2", "gemv_bf16_t4", "gemv_bf16_t8", "to_bf16", "bias_add", "swiglu",
            "router_pool", "router_hidden", "router_out", "argmax_step", "pass_gather", "pass_scatter", "set_switch",
            "decisions_to_counts"};

    private final Launcher cu;

    public CudaKernels(Launcher cu) {
        this.cu = cu;
    }

    public void embedGather(long tokens, long table, long x, int T, int H, int V) {
        cu.launch("embed_gather", T, 1, 1, 256, 0, cu.args().ptr(tokens).ptr(table).ptr(x).i32(H).i32(V));
    }

    public void addRmsnorm(long x, long delta, long w, long outF, long outB, int T, int H, float eps, long nActive) {
        cu.launch("add_rmsnorm", T, 1, 1, 256, 0, cu.args().ptr(x).ptr(delta).ptr(w).ptr(outF).ptr(outB).i32(H).f32(eps).ptr(nActive));
    }

    public void qkvPost(long qkv, int rowStride, long bias, long qNorm, long kNorm, float eps, long invFreq, long rowSeq,
                        long seqPos, long kCache, long vCache, long seqStride, int T, int nh, int nkv, int hd, long nActive) {
        cu.launch("qkv_post", T, nh + nkv, 1, LaunchGeometry.roundUpWarp(hd), 0, cu.args().ptr(qkv).i32(rowStride).ptr(bias)
                .ptr(qNorm).ptr(kNorm).f32(eps).ptr(invFreq).ptr(rowSeq).ptr(seqPos).ptr(kCache).ptr(vCache)
                .i64(seqStride).i32(nh).i32(nkv).i32(hd).ptr(nActive));
    }

    public void attnPrefill(long q, int qStride, long kCache, long vCache, long seqPos, int T, int nh, int nkv, int hd,
                            long outF, long outB, int outStride) {
        cu.launch("attn_prefill", LaunchGeometry.attnPrefillBlocks(T), nh, 1, 256, LaunchGeometry.attnPrefillSmem(hd),
                cu.args().ptr(q).i32(qStride).ptr(kCache).ptr(vCache).ptr(seqPos).i32(T).i32(nh).i32(nkv).i32(hd)
                        .f32(scale(hd)).ptr(outF).ptr(outB).i32(outStride));
    }

    /** Split-K decode attention, partial + combine; pm / pl / pacc hold [T, nh, splits(, hd)] floats. */
    public void attnDecode(long q, int qStride, long kCache, long vCache, long seqStride, long rowSeq, long seqPos,
                           int T, int nh, int nkv, int hd, LaunchGeometry.Splits sp, long pm, long pl, long pacc,
                           long outF, long outB, int outStride, long nActive) {
        cu.launch("attn_decode_partial", T, nh, sp.count(), 128, 0, cu.args().ptr(q).i32(qStride).ptr(kCache).ptr(vCache)
                .i64(seqStride).ptr(rowSeq).ptr(seqPos).i32(nh).i32(nkv).i32(hd).f32(scale(hd)).i32(sp.chunk())
                .ptr(pm).ptr(pl).ptr(pacc).ptr(nActive));
        cu.launch("attn_decode_combine", T, nh, 1, LaunchGeometry.roundUpWarp(hd), 0, cu.args().ptr(pm).ptr(pl).ptr(pacc)
                .i32(nh).i32(hd).i32(sp.count()).ptr(outF).ptr(outB).i32(outStride).ptr(nActive));
    }

    static float scale(int hd) {
        return (float) (1.0 / Math.sqrt(hd));
    }

    /** y[T, out] (+)= transform(x)[T, in] · W[out, in]ᵀ (+ bias), W bf16. */
    public void gemv(long x, int xStride, int mode, long normW, float eps, long w, long bias, long y, int yStride,
                     boolean accumulate, int T, int in, int out, long nActive) {
        int tile = LaunchGeometry.gemvTile(T, in);
        cu.launch("gemv_bf16_t" + tile, LaunchGeometry.gemvGrid(out, cu.multiprocessors()), 1, 1, LaunchGeometry.GEMV_THREADS,
                LaunchGeometry.gemvSmem(tile, in), cu.args().ptr(x).i32(xStride).i32(mode).ptr(normW).f32(eps).ptr(w)
                        .ptr(bias).ptr(y).i32(yStride).i32(accumulate ? 1 : 0).i32(T).i32(in).i32(out).ptr(nActive));
    }

    public void toBf16(long x, long y, long n) {
        int blocks = (int) Math.min(4096, (n + 255) / 256);
        cu.launch("to_bf16", Math.max(1, blocks), 1, 1, 256, 0, cu.args().ptr(x).ptr(y).i64(n));
    }

    public void biasAdd(long y, long b, int rows, int n, int stride) {
        cu.launch("bias_add", rows, 1, 1, 256, 0, cu.args().ptr(y).ptr(b).i32(rows).i32(n).i32(stride));
    }

    public void swiglu(long gu, long outF, long outB, int T, int F) {
        cu.launch("swiglu", T, 1, 1, 256, 0, cu.args().ptr(gu).ptr(outF).ptr(outB).i32(T).i32(F));
    }

    /** Window means of x [T, H] into pooled [nw, H], nw = min(windows, T), T / nw rows each (the router's pooling alone). */
    public void routerPool(long x, int T, int H, int windows, long pooled) {
        cu.launch("router_pool", Math.min(windows, T), 1, 1, 256, 0, cu.args().ptr(x).i32(T).i32(H).i32(windows).ptr(pooled));
    }

    /** Router on x [T, H]: pooled [nw, H], hid [nw, R] scratch; logits (3 floats) and decision (1 int) out. */
    public void router(long x, int T, int H, int windows, int R, long w1, long b1, long w2, long b2,
                       long pooled, long hid, long logits, long decision) {
        int nw = Math.min(windows, T);
        cu.launch("router_pool", nw, 1, 1, 256, 0, cu.args().ptr(x).i32(T).i32(H).i32(windows).ptr(pooled));
        cu.launch("router_hidden", nw, (R + 7) / 8, 1, 256, 0, cu.args().ptr(pooled).i32(H).i32(R).ptr(w1).ptr(b1).ptr(hid));
        cu.launch("router_out", 1, 1, 1, 32, 0, cu.args().ptr(hid).i32(T).i32(windows).i32(R).ptr(w2).ptr(b2).ptr(logits).ptr(decision));
    }

    public void argmaxStep(long logits, int rows, int V, long next, long history, long counts, int maxNew, long seqPos) {
        cu.launch("argmax_step", rows, 1, 1, 1024, 0, cu.args().ptr(logits).i32(V).ptr(next).ptr(history).ptr(counts)
                .i32(maxNew).ptr(seqPos));
    }

    public void passGather(long counts, int layer, int rep, int B, int L, long idx, long nActive, long x, long xc, int H) {
        cu.launch("pass_gather", B, 1, 1, 256, 0, cu.args().ptr(counts).i32(layer).i32(rep).i32(B).i32(L).ptr(idx)
                .ptr(nActive).ptr(x).ptr(xc).i32(H));
    }

    public void passScatter(long idx, long nActive, long xc, long x, int B, int H) {
        cu.launch("pass_scatter", B, 1, 1, 256, 0, cu.args().ptr(idx).ptr(nActive).ptr(xc).ptr(x).i32(H));
    }

    public void setSwitch(long handles, long counts, int B, int L) {
        cu.launch("set_switch", (L + 127) / 128, 1, 1, 128, 0, cu.args().ptr(handles).ptr(counts).i32(B).i32(L));
    }

    public void decisionsToCounts(long decisions, long counts, int b, int L) {
        cu.launch("decisions_to_counts", (L + 127) / 128, 1, 1, 128, 0, cu.args().ptr(decisions).ptr(counts).i32(b).i32(L));
    }
}
