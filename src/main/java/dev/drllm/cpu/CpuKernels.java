package dev.drllm.cpu;

import dev.drllm.model.DType;
import dev.drllm.model.Tensor;
import dev.drllm.quant.BlockCodec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The CPU backend's arithmetic: f32 accumulation over BF16 / F16 / F32 weights read in place from
 * the mapped checkpoint. The Vector API species is the widest the CPU offers, fixed at class load
 * (512-bit on AVX-512, 256-bit on AVX2); every loop has a scalar tail.
 *
 * <p><b>Pair-split activations.</b> BF16 and F16 weights are loaded as int lanes, each holding
 * two neighbouring 16-bit values. A shift or mask gives the even elements, another gives
 * the odd ones — two float vectors from one load, without the cross-lane widening a short→int
 * conversion needs (F16 takes a few more lane operations, see {@link #matvecF16}). The activation
 * vector is therefore stored "pair-split": in each block of {@link #PAIR} elements, the
 * even-indexed values first, then the odd-indexed ones ({@link #splitPairs}). It is split once
 * per activation and reused by every matrix that reads it.
 *
 * <p><b>Prefill GEMM.</b> From {@link #GEMM_T_MIN} tokens, {@link #gemmT}: outer products over
 * activations transposed once per matrix, a weight tile of 8 rows widened to f32 once per prompt.
 * 4–15 tokens use {@link #matmul}'s 4-row × 4-token dot-product blocks over 4 × {@link #KC} tiles.
 */
public final class CpuKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() <= 16 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int LANES = F.length();
    /** 16-bit elements in one int-vector load. */
    public static final int PAIR = 2 * LANES;
    /** Columns of a GEMM weight tile: 4 rows × KC f32 (8 KiB at 512) stay in L1 next to the tokens' rows. */
    public static final int KC = 512;
    /** Where a worker buffer's reduction area starts (after the 4 × KC weight tile). */
    static final int RED = 4 * KC;
    /**
     * Columns of an outer-product weight tile ({@link #gemmT}), in L1 for the whole token sweep: 512
     * with 512-bit vectors (8 rows × 512 f32 = 16 KiB), 256 below (6 rows × 256 = 6 KiB, what the
     * AVX2 machine was tuned with). At 512 bits (AVX-512 Zen 5, 2 threads, whole 128-token prefills
     * of two builds alternating in one JVM, 12 pairs) 512 columns ran +5.9% (Q4_K_M) and +5.4% (Q8_0)
     * against 256: half the register tiles' restarts and yT read-add-writes per weight
     * (docs/results/quantized.md, 2026-12-02 15:50 UTC).
     */
    static final int KT = LANES >= 16 ? 512 : 256;
    /**
     * Floats in a worker buffer: the largest weight tile (4 × KC, or gemmT's 8 × KT, 8 the largest
     * {@link #TILE_ROWS}, plus the one float gemmT writes after it) plus 16 accumulators' worth of
     * reduction space.
     */
    public static final int WBUF = Math.max(RED, 8 * KT + 1) + 16 * LANES;
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    static {
        if (F.length() != I.length()) throw new IllegalStateException("float and int species differ in lanes: " + F + " / " + I);
    }

    /*
     * Cold start. Each public kernel runs either its Vector API body (xxxVec) or its bit-identical
     * scalar twin in ScalarKernels, per family flag below. Vector API code is fast only once C2 has
     * compiled it (interpreted or C1-compiled, every vector operation allocates and is 30-20,000x
     * slower); scalar loops are fast as soon as C1 compiles them, within milliseconds. With
     * -Ddrllm.kernels=auto (the default) the flags start false and KernelWarmup's background thread,
     * started here, sets each one once the vector family beats its twin on small operands; "vector"
     * or "scalar" fixes them. The twins give the same bits, so a flag may change between any two
     * calls, on any thread, without changing a result. Plain fields: a thread that sees a change
     * late only stays on the other (equal) path a little longer.
     */
    static boolean vecMatvec, vecGemm, vecGemmT, vecNorm, vecAttn, vecElem;

    static {
        KernelWarmup.Mode mode = KernelWarmup.Mode.fromProperty();
        if (mode == KernelWarmup.Mode.VECTOR) setAll(true);
        if (mode == KernelWarmup.Mode.AUTO) KernelWarmup.startBackground();
    }

    static void setAll(boolean v) {
        vecMatvec = vecGemm = vecGemmT = vecNorm = vecAttn = vecElem = v;
    }

    /** Whether every kernel family runs its vector body (true once warm-up is done, or with -Ddrllm.kernels=vector). */
    public static boolean vectorInUse() {
        return vecMatvec && vecGemm && vecGemmT && vecNorm && vecAttn && vecElem;
    }

    // Butterfly shuffles for lane sums: lane i with lane i ^ k (masked so narrower species build them too).
    private static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(F, i -> (i ^ 8) & (LANES - 1));
    private static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(F, i -> (i ^ 4) & (LANES - 1));
    private static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(F, i -> (i ^ 2) & (LANES - 1));
    private static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(F, i -> (i ^ 1) & (LANES - 1));

    /*
     * Three rules keep these kernels deterministic and allocation-free:
     * - Lanes are summed in a fixed butterfly order (the X* shuffles), never with
     *   reduceLanes(ADD), whose order the implementation chooses: the interpreter's fallback and
     *   C2's intrinsic differ, and the same input gave logits differing in the last bits depending
     *   on JIT warm-up.
     * - No vector crosses a method boundary in a hot loop. When C2 declines to inline a callee
     *   (node-count cutoff in a large kernel, or a callee already compiled "too big"), every vector
     *   argument is boxed on the heap: seen as ~1 MB allocated per decode step and a 5× slowdown.
     *   Accumulators therefore leave through arrays (hsum) and the butterfly / exp are written out
     *   where they are used.
     * - A loop-carried vector is never the receiver of a call in its loop: write
     *   {@code acc = load(..).add(acc)}, not {@code acc = acc.add(load(..))}. C2 parses the loop
     *   body before the back edge, so the accumulator's phi is typed only as the abstract
     *   FloatVector there; FloatVector.add / max then reach the per-shape lanewise through a
     *   virtual call that C2 binds only from that JDK method's own receiver profile, and only once
     *   that profile is mature. softmax's running max did this: FloatVector.max is called from
     *   nowhere else, so whenever C2 compiled softmax before max had been counted ~1,000 times
     *   (a race decided by compiler-thread scheduling), the call stayed virtual for the life of the
     *   JVM (nothing deoptimizes a plain virtual call) and boxed its vectors on every iteration,
     *   7,200 B per layer per decode step. A freshly loaded vector has its exact class, so the call
     *   binds statically. CpuBackendDecodeTest also runs its probe with -XX:-UseTypeProfile, which
     *   turns any profile-dependent binding into a failure every time.
     */

    /**
     * In place e^x over x[off, off + n) by range reduction and a degree-7 polynomial (≤ 2 ulp on
     * the clamped range), instead of {@code lanewise(EXP)} whose SVML intrinsic and scalar
     * fallback differ (see above). Inputs are clamped to [-87.3, 88.3]: below, the result is ~1e-38
     * instead of a subnormal or 0, which no softmax or SiLU here can see. The tail past the last
     * full vector uses {@link Math#exp}.
     */
    public static void exp(float[] a, int off, int n) {
        if (vecElem) expVec(a, off, n);
        else ScalarKernels.exp(a, off, n);
    }

    static void expVec(float[] a, int off, int n) {
        int main = F.loopBound(n);
        for (int i = 0; i < main; i += LANES) {
            FloatVector x = FloatVector.fromArray(F, a, off + i).max(-87.33f).min(88.3f);
            FloatVector t = x.mul(1.44269504f).add(12582912f);
            FloatVector k = t.sub(12582912f);
            FloatVector r = k.fma(FloatVector.broadcast(F, -0.693145752f), x);
            r = k.fma(FloatVector.broadcast(F, -1.42860677e-6f), r);
            FloatVector p = r.mul(1f / 5040f).add(1f / 720f);
            p = p.fma(r, FloatVector.broadcast(F, 1f / 120f));
            p = p.fma(r, FloatVector.broadcast(F, 1f / 24f));
            p = p.fma(r, FloatVector.broadcast(F, 1f / 6f));
            p = p.fma(r, FloatVector.broadcast(F, 0.5f));
            p = p.fma(r, FloatVector.broadcast(F, 1f));
            p = p.fma(r, FloatVector.broadcast(F, 1f));
            IntVector e = t.reinterpretAsInts().sub(Float.floatToRawIntBits(12582912f)).add(127).lanewise(VectorOperators.LSHL, 23);
            p.mul(e.reinterpretAsFloats()).intoArray(a, off + i);
        }
        for (int i = main; i < n; i++) a[off + i] = (float) Math.exp(a[off + i]);
    }

    /** Whether matrices of this dtype read pair-split activations (the half-precision types BF16 and F16). */
    public static boolean pairSplit(DType d) { return d == DType.BF16 || d == DType.F16; }

    /** Writes {@code x[xOff, xOff+n)} in pair-split order to {@code xp[xpOff..]} (tail past the last full block unchanged). */
    public static void splitPairs(float[] x, int xOff, float[] xp, int xpOff, int n) {
        int main = n - n % PAIR;
        for (int c = 0; c < main; c += PAIR) {
            int s = xOff + c, d = xpOff + c;
            for (int j = 0; j < LANES; j++) {
                xp[d + j] = x[s + 2 * j];
                xp[d + LANES + j] = x[s + 2 * j + 1];
            }
        }
        System.arraycopy(x, xOff + main, xp, xpOff + main, n - main);
    }

    // ---------------------------------------------------------------- half → f32 conversions

    /**
     * Converts {@code n} IEEE halves at byte {@code off} ({@code n} a multiple of {@link #PAIR}) to
     * f32 in pair-split order in {@code out[outOff ..]}, exactly for every input (normals,
     * subnormals, ±0, ±inf, NaN): the in-register widening of {@link #matvecF16}, and where the
     * halves hold an exponent-31 value (±inf, NaN) the run is converted again by
     * {@link Float#float16ToFloat}.
     */
    static void f16ToFloats(MemorySegment w, long off, float[] out, int outOff, int n) {
        ShortVector m = ShortVector.zero(S);
        for (int i = 0; i < n; i += PAIR) {
            long bo = off + i * 2L;
            IntVector v = IntVector.fromMemorySegment(I, w, bo, LE);
            v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().mul(F16_SCALE).intoArray(out, outOff + i);
            v.lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().mul(F16_SCALE).intoArray(out, outOff + i + LANES);
            m = ShortVector.fromMemorySegment(S, w, bo, LE).and((short) 0x7FFF).max(m);
        }
        if (m.compare(VectorOperators.GE, F16_INF).anyTrue()) {
            for (int i = 0; i < n; i++) {
                int q = i % PAIR;
                out[outOff + i - q + (q % 2 == 0 ? q / 2 : LANES + q / 2)] = Float.float16ToFloat(w.get(SHORT_LE, off + 2L * i));
            }
        }
    }

    // ---------------------------------------------------------------- matrix products

    /**
     * Rows [r0, r1) of y[t·ys + o] = Σ_i W[o, i] · x[t·in + i] for t < tokens, W being [out, in]
     * in the checkpoint. {@code xp} is x pair-split (ignored for F32 weights); {@code wbuf} is
     * a worker's {@link #WBUF}-float buffer (GEMM tile and reduction space).
     */
    public static void matmul(float[] x, float[] xp, int tokens, int in, Tensor w, float[] y, int ys, int r0, int r1, float[] wbuf) {
        matmul(x, xp, tokens, in, w, y, ys, r0, r1, wbuf, false);
    }

    /** As above; {@code vector} runs the vector bodies whatever the warm-up's switches say. */
    static void matmul(float[] x, float[] xp, int tokens, int in, Tensor w, float[] y, int ys, int r0, int r1, float[] wbuf, boolean vector) {
        DType d = w.dtype();
        if (!d.isMatrixWeight()) throw new IllegalArgumentException("unsupported weight dtype " + d + " of " + w.name());
        if (d.isQuantized() && tokens < 4) {
            for (int t = 0; t < tokens; t++) matvecQuant(x, t * in, in, w.data(), d, y, t * ys, r0, r1, wbuf);
            return;
        }
        float[] xs = pairSplit(d) ? xp : x;
        // Block types have no scalar twin (KernelWarmup): they always run the vector bodies.
        if (tokens >= 4) {
            if (vector || vecGemm || d.isQuantized()) gemm(xs, tokens, in, w.data(), d, y, ys, r0, r1, wbuf);
            else ScalarKernels.gemm(xs, tokens, in, w, y, ys, r0, r1);
        } else {
            for (int t = 0; t < tokens; t++) {
                if (vector) matvecVec(xs, t * in, in, w.data(), d, y, t * ys, r0, r1, wbuf);
                else matvec(xs, t * in, in, w.data(), d, y, t * ys, r0, r1, wbuf);
            }
        }
    }

    /** Tokens per outer-product tile (two vectors); prompts are padded to a multiple of it. */
    public static final int TT = 2 * LANES;
    /**
     * Floats of transposed activations (a k-panel × all tokens, 256 KiB) that {@link #gemmT} keeps in
     * L2 while it walks the rows: a quarter of a 1 MiB L2 (Zen 4 / 5), half of a 512 KiB one (Zen 2 / 3),
     * leaving room for the weight tiles and output. 1 MiB panels (the whole L2 of the Zen 5 VM)
     * ran the 8192 × 2048 GEMM ~7–11% slower (docs/results/quantized.md).
     */
    static final int PANEL = 1 << 16;
    /**
     * Weight rows per outer-product register tile: 8 rows × 2 vectors = 16 accumulators where the
     * vectors are 512 bits wide (AVX-512 has 32 vector registers), 6 × 2 = 12 with narrower ones,
     * so that accumulators, two activation vectors and the broadcast weight fit AVX2's 16 registers
     * (8 rows spilled there and ran ~1.5× slower).
     */
    public static final int TILE_ROWS = LANES >= 16 ? 8 : 6;
    /**
     * Byte alignment of {@link #gemmT}'s transposed activations: with tp a multiple of
     * {@link #TT}, every vector load of xT then lies in one cache line. Heap float arrays start
     * 16 bytes into an 8-byte-aligned object, so their 64-byte loads straddled two lines: the
     * register tile alone ran ~20% faster on an aligned segment (140 vs 116 GFLOP/s on one core).
     */
    public static final long XT_ALIGN = 64;
    static final ValueLayout.OfFloat XT = ValueLayout.JAVA_FLOAT;
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Prompts at least this long use {@link #gemmT}; shorter ones the dot-product blocks of {@link #matmul}. */
    public static final int GEMM_T_MIN = 16;

    /** Fewest rows of a {@link #gemmT} chunk when a product is split among threads (see {@link #gemmTChunks}). */
    public static final int GEMM_T_CHUNK_ROWS = 256;

    /**
     * Chunks per thread for splitting {@code rows} rows of {@link #gemmT} among {@code threads}
     * threads. Up to 16, so the loop's last chunk is short when a core is shared (4 left ~6% of
     * a prefill waiting on the slower thread); but at least {@link #GEMM_T_CHUNK_ROWS} rows each:
     * every chunk streams all of xT's k-panels through L2 once, and in chunks of 64 rows (the 1B's
     * 2048-row ffn_down, 16 chunks on 2 threads) each panel served only ~10 row tiles; that GEMM
     * ran 25–45% slower than in chunks of 256 rows (AVX2 Zen 3, docs/results/quantized.md).
     */
    public static int gemmTChunks(int rows, int threads) {
        return Math.clamp(rows / ((long) threads * GEMM_T_CHUNK_ROWS), 1, 16);
    }

    /**
     * Where activation (token t, column k) lies in {@link #gemmT}'s transposed activations of
     * {@code in} columns: per block of {@link #TT} tokens, the in columns' TT values in a run of
     * TT floats (xT[((t / TT) · in + k) · TT + t % TT]), so a register tile's activations for
     * consecutive k are consecutive 64-byte (128 at 512 bits) rows. Token-major rows of tp floats
     * (the earlier layout) put each of a tile's k rows 512 bytes apart at 128 tokens: all in 8 of
     * the 64 L1 sets, and the GEMM without widening ran ~4–13% slower (AVX2 Zen 3,
     * docs/results/quantized.md).
     */
    public static long xtIndex(int k, int t, int in) {
        return ((long) (t / TT) * in + k) * TT + t % TT;
    }

    /** The padded token count of {@link #gemmT} for {@code tokens} rows. */
    public static int paddedTokens(int tokens) {
        return (tokens + TT - 1) / TT * TT;
    }

    /**
     * Transposes the activations for {@link #gemmT}: xT[{@link #xtIndex}(k, t, in)] = x[t · in + k], zero for the
     * padding tokens t ≥ tokens. {@code x} is pair-split for BF16 / F16 weights, so the rows of
     * xT follow the widened weight tile's column order.
     */
    public static void transpose(float[] x, int tokens, int in, MemorySegment xT, int tp) {
        transpose(x, tokens, in, xT, tp, false, 0, in);
    }

    /**
     * Columns [k0, k1) of the transposed activations for {@link #gemmT} (k0 a multiple of
     * {@link #PAIR}, so workers can share one matrix): xT[{@link #xtIndex}(k', t, in)] = x[t · in + k], zero for
     * the padding tokens. With {@code split}, k' is k's pair-split position (the order of a widened
     * half-precision tile, see {@link #splitPairs}), so the row-major pair-split copy is never made.
     * One block of PAIR columns at a time: the naive loop strides tp floats per element over the
     * whole of xT and, tp and in being powers of two, every store of a token row fell in the same
     * few L1 sets; here PAIR write streams advance together while one input line is read.
     */
    public static void transpose(float[] x, int tokens, int in, MemorySegment xT, int tp, boolean split, int k0, int k1) {
        int main = in - in % PAIR;
        for (int kb = k0; kb < k1; kb += PAIR) {
            int n = Math.min(PAIR, k1 - kb);
            boolean perm = split && kb < main;
            for (int t = 0; t < tokens; t++) {
                int xo = t * in + kb;
                long b = xtIndex(kb, t, in);
                if (perm) {
                    for (int j = 0; j < LANES; j++) {
                        xT.setAtIndex(XT, b + (long) j * TT, x[xo + 2 * j]);
                        xT.setAtIndex(XT, b + (long) (LANES + j) * TT, x[xo + 2 * j + 1]);
                    }
                } else {
                    for (int i = 0; i < n; i++) xT.setAtIndex(XT, b + (long) i * TT, x[xo + i]);
                }
            }
            // padding tokens: the rest of the last token block's run in each column
            if (tp > tokens) for (int k = kb; k < kb + n; k++) xT.asSlice(xtIndex(k, tokens, in) * 4, (tp - tokens) * 4L).fill((byte) 0);
        }
    }

    /**
     * Prefill GEMM as a sum of outer products, rows [r0, r1) of y[t · ys + o] = Σ_k W[o, k] x[t, k].
     * A tile of {@link #TILE_ROWS} (8, or 6 with vectors narrower than 512 bits) weight rows ×
     * {@link #KT} columns is widened to f32 once; for each block of {@link #TT} tokens, 16 (12)
     * accumulators hold y for 8 (6) rows × TT tokens while k runs: per k, two vector loads of xT,
     * eight (six) broadcasts of a weight, sixteen (twelve) FMAs, and no horizontal sums. The
     * weight tile stays in L1 and each activation column is reused by every row of the tile (the
     * dot-product blocks of {@link #gemm} reuse it by four and reread the tokens from L2 for every
     * row block). Rows past the last whole tile run one at a time.
     * Loop order: k-panels of {@link #PANEL} floats of xT (kept in L2), then row groups, then
     * KT-blocks, so each row group streams its weight rows sequentially (the DRAM prefetcher follows
     * 8 streams; with k outermost it saw one short burst from each of hundreds of rows, and the
     * widening stalled on memory latency).
     *
     * @param xT  activations transposed by {@link #transpose} (pair-split for BF16 / F16 weights), in a
     *            segment aligned to 64 bytes (see {@link #XT_ALIGN})
     * @param xs  the row-major activations, for the columns past the last full vector pair (the same in
     *            plain and pair-split order)
     * @param yT  scratch holding this call's rows × tp floats from {@code yTOff}: per block of TT
     *            tokens, each row's TT sums in a run
     */
    public static void gemmT(MemorySegment xT, int tp, float[] xs, int tokens, int in, Tensor w, float[] y, int ys,
                             int r0, int r1, float[] wbuf, float[] yT, int yTOff) {
        if (vecGemmT || w.dtype().isQuantized()) gemmTVec(xT, tp, xs, tokens, in, w, y, ys, r0, r1, wbuf, yT, yTOff);
        else ScalarKernels.gemmT(xT, tp, xs, tokens, in, w, y, ys, r0, r1);
    }

    static void gemmTVec(MemorySegment xT, int tp, float[] xs, int tokens, int in, Tensor w, float[] y, int ys,
                             int r0, int r1, float[] wbuf, float[] yT, int yTOff) {
        DType d = w.dtype();
        MemorySegment seg = w.data();
        int step = pairSplit(d) ? PAIR : LANES;
        int main = in - in % step;
        int rows = r1 - r0;
        java.util.Arrays.fill(yT, yTOff, yTOff + rows * tp, 0f);
        int panel = Math.max(KT, PANEL / tp / KT * KT);
        int touched = 0;
        for (int p0 = 0; p0 < main; p0 += panel) {
            int p1 = Math.min(main, p0 + panel);
            for (int ob = r0; ob < r1; ob += TILE_ROWS) {
                int rb = Math.min(TILE_ROWS, r1 - ob);
                touched += touchRows(seg, d, in, ob == r0 ? ob : ob + TILE_ROWS, Math.min(r1, ob + 2 * TILE_ROWS), p0, p1);
                for (int kb = p0; kb < p1; kb += KT) {
                    int kl = Math.min(KT, p1 - kb);
                    for (int r = 0; r < rb; r++) widen(seg, d, (long) (ob + r) * in + kb, wbuf, r * KT, kl);
                    for (int t0 = 0; t0 < tp; t0 += TT) {
                        int yb = yTOff + ((t0 / TT) * rows + ob - r0) * TT;
                        long xo = xtIndex(kb, t0, in) * 4;
                        if (rb == 8 && TILE_ROWS == 8) tile8(xT, xo, kl, wbuf, yT, yb);
                        else if (rb == 6 && TILE_ROWS == 6) tile6(xT, xo, kl, wbuf, yT, yb);
                        else for (int r = 0; r < rb; r++) tile1(xT, xo, kl, wbuf, r * KT, yT, yb + r * TT);
                    }
                }
            }
        }
        wbuf[TILE_ROWS * KT] = touched; // a use of the touches' loads, which C2 would otherwise drop
        // Back to token-major order, one token's rows at a time: contiguous stores, and reads TT
        // floats apart within one token block of yT. Row by row, the token stores (stride ys, a
        // power of two) all hit one L1 set and cost ~10% of a 1B prefill; a vector gather per 16
        // rows measured no faster than this loop.
        for (int t = 0; t < tokens; t++) {
            int yb = yTOff + (t / TT) * rows * TT + t % TT, yi = t * ys;
            for (int o = r0; o < r1; o++) y[yi + o] = yT[yb + (o - r0) * TT];
        }
        if (main < in) {
            boolean f16 = d == DType.F16;
            for (int o = r0; o < r1; o++) {
                long rowOff = (long) o * in * d.bytes();
                for (int t = 0; t < tokens; t++) {
                    y[t * ys + o] += d == DType.F32 ? tailF32(xs, t * in, main, in, seg, rowOff) : tailHalf(xs, t * in, main, in, seg, rowOff, f16);
                }
            }
        }
    }

    /**
     * Reads one byte of every 64 in columns [p0, p1) of weight rows [a, b): the next row tile's
     * panel, touched before this tile's sweep. The widening of a tile reads each of its rows'
     * few hundred bytes in order, and the DRAM prefetchers have not picked up a stream that short
     * (each row's run of a panel starts a new one): one tile's widening waited on memory about once
     * per row (a cache-resident tile widened ~10% faster, one thread, AVX2 Zen 3). These independent
     * loads leave together, so the core waits once per tile (while the FMAs already in flight run
     * on) and the widening then reads from cache.
     */
    private static int touchRows(MemorySegment w, DType d, int in, int a, int b, int p0, int p1) {
        int s = 0;
        long n = d.bytesOf(p1 - p0);
        for (int r = a; r < b; r++) {
            long o = d.bytesOf((long) r * in + p0);
            for (long i = 0; i < n; i += 64) s += w.get(ValueLayout.JAVA_BYTE, o + i);
        }
        return s;
    }

    /** One k per iteration: the xT row of k starts {@code TT · 4 · k} bytes after {@code from}. */
    private static void tile8(MemorySegment xT, long from, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        FloatVector a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
        for (int k = 0; k < kl; k++) {
            long xo = from + (long) k * TT * 4;
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            w = FloatVector.broadcast(F, wb[6 * KT + k]);
            a6 = x0.fma(w, a6); b6 = x1.fma(w, b6);
            w = FloatVector.broadcast(F, wb[7 * KT + k]);
            a7 = x0.fma(w, a7); b7 = x1.fma(w, b7);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a6).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b6).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a7).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b7).intoArray(yT, o + LANES);
    }

    private static void tile1(MemorySegment xT, long from, int kl, float[] wb, int wo, float[] yT, int yo) {
        FloatVector a = FloatVector.zero(F), b = a;
        for (int k = 0; k < kl; k++) {
            long xo = from + (long) k * TT * 4;
            FloatVector w = FloatVector.broadcast(F, wb[wo + k]);
            a = FloatVector.fromMemorySegment(F, xT, xo, NATIVE).fma(w, a);
            b = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE).fma(w, b);
        }
        FloatVector.fromArray(F, yT, yo).add(a).intoArray(yT, yo);
        FloatVector.fromArray(F, yT, yo + LANES).add(b).intoArray(yT, yo + LANES);
    }

    /**
     * The byte offset into xT advances by one row per k (no multiply in the loop): with 16
     * registers the loop is as much integer work as FMAs, and C2 recomputed {@code (kb + k) · tp}
     * per step. Two k per iteration (then an odd last one): the loop's counter, compare, branch
     * and the segment bounds checks' bookkeeping are shared by 24 FMAs instead of 12. On the AVX2
     * Zen 3 (2026-12-02, one thread, the 8190 × 2048 × 128-token GEMM with widening, five interleaved
     * rounds): Q8_0 36–47 → 47–54 GFLOP/s, Q4_K 29–47 → 48–61; the same sums in the same order.
     */
    private static void tile6(MemorySegment xT, long from, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long xo = from, step = TT * 4L;
        int k = 0;
        for (; k + 2 <= kl; k += 2, xo += 2 * step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + step, NATIVE);
            x1 = FloatVector.fromMemorySegment(F, xT, xo + step + 4L * LANES, NATIVE);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k + 1]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k + 1]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k + 1]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k + 1]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k + 1]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        for (; k < kl; k++, xo += step) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, NATIVE), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * LANES, NATIVE);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]);
            a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]);
            a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]);
            a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]);
            a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]);
            a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        int o = y0;
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b0).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b1).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b2).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b3).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b4).intoArray(yT, o + LANES);
        o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o);
        FloatVector.fromArray(F, yT, o + LANES).add(b5).intoArray(yT, o + LANES);
    }

    /** y[yOff + o] = W[o, :] · x[xOff ..] for o in [r0, r1); x pair-split for BF16 / F16 weights ({@link #pairSplit}). */
    public static void matvec(float[] x, int xOff, int in, MemorySegment w, DType d, float[] y, int yOff, int r0, int r1, float[] red) {
        if (vecMatvec) matvecVec(x, xOff, in, w, d, y, yOff, r0, r1, red);
        else ScalarKernels.matvec(x, xOff, in, w, d, y, yOff, r0, r1);
    }

    static void matvecVec(float[] x, int xOff, int in, MemorySegment w, DType d, float[] y, int yOff, int r0, int r1, float[] red) {
        switch (d) {
            case BF16 -> matvecBf16(x, xOff, in, w, y, yOff, r0, r1, red);
            case F16 -> matvecF16(x, xOff, in, w, y, yOff, r0, r1, red);
            case F32 -> matvecF32(x, xOff, in, w, y, yOff, r0, r1, red);
            default -> throw new IllegalArgumentException("unsupported weight dtype " + d);
        }
    }

    /**
     * Four rows stream at once: four prefetch streams, eight independent FMA chains, one x load per
     * four rows. The vector loop lives in its own small method: in one large method C2 ran out of
     * its node budget and left Vector API calls un-intrinsified (every vector boxed on the heap).
     */
    private static void matvecBf16(float[] x, int xOff, int in, MemorySegment w, float[] y, int yOff, int r0, int r1, float[] red) {
        int main = in - in % PAIR;
        long rb = in * 2L;
        int o = r0;
        for (; o + 4 <= r1; o += 4) {
            dot4Bf16(x, xOff, main, w, o * rb, rb, red);
            for (int r = 0; r < 4; r++) y[yOff + o + r] = hsum(red, r * LANES) + tailHalf(x, xOff, main, in, w, (o + r) * rb, false);
        }
        for (; o < r1; o++) {
            dot1Bf16(x, xOff, main, w, o * rb, red);
            y[yOff + o] = hsum(red, 0) + tailHalf(x, xOff, main, in, w, o * rb, false);
        }
    }

    private static void dot4Bf16(float[] x, int xOff, int main, MemorySegment w, long b0, long rb, float[] red) {
        long b1 = b0 + rb, b2 = b1 + rb, b3 = b2 + rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        for (int i = 0; i < main; i += PAIR) {
            FloatVector xe = FloatVector.fromArray(F, x, xOff + i), xo = FloatVector.fromArray(F, x, xOff + i + LANES);
            long bo = i * 2L;
            IntVector v0 = IntVector.fromMemorySegment(I, w, b0 + bo, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, w, b1 + bo, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, w, b2 + bo, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, w, b3 + bo, LE);
            a0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xe, a0);
            c0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(xo, c0);
            a1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xe, a1);
            c1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(xo, c1);
            a2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xe, a2);
            c2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(xo, c2);
            a3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xe, a3);
            c3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(xo, c3);
        }
        a0.add(c0).intoArray(red, 0);
        a1.add(c1).intoArray(red, LANES);
        a2.add(c2).intoArray(red, 2 * LANES);
        a3.add(c3).intoArray(red, 3 * LANES);
    }

    private static void dot1Bf16(float[] x, int xOff, int main, MemorySegment w, long b0, float[] red) {
        FloatVector a0 = FloatVector.zero(F), c0 = a0;
        for (int i = 0; i < main; i += PAIR) {
            IntVector v0 = IntVector.fromMemorySegment(I, w, b0 + i * 2L, LE);
            a0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xOff + i), a0);
            c0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xOff + i + LANES), c0);
        }
        a0.add(c0).intoArray(red, 0);
    }

    /**
     * F16 decode, read like BF16 ({@link #matvecBf16}): each int lane holds two neighbouring halves,
     * the activations are pair-split, and a half is widened in registers without a conversion
     * instruction: shifted so that its sign lands in bit 31 and its exponent and mantissa in bits
     * 27..13 (an arithmetic shift right by 3 of the half in the lane's top 16 bits) and masked. Read
     * as an f32, that is the half times 2^-112 — exactly, for normals, ±0 and subnormals alike (a
     * subnormal half becomes an f32 subnormal) — so the activations are multiplied by 2^112 once
     * per call ({@link #f16Activations}) and each FMA forms w · x exactly as from the converted
     * weight: the same bits as the scalar twin. 5 lane operations and 2 FMAs per 32 weights (BF16:
     * 2 and 2). Multiplying the weights by 2^112 instead costs two more, and ran ~35% slower in
     * cache on this machine (AMD Zen 5): a multiply with a subnormal operand is slow there, an FMA
     * with one is not, and real F16 weights hold ~0.2–0.3% subnormals. That form stays for
     * activations of 2^16 or more in magnitude (or NaN), whose scaled copy would overflow.
     *
     * <p>The widening makes an exponent-31 half (±inf, NaN) a finite number: the loop also keeps
     * the lane-wise maximum of |h| over its rows, and a row group holding one (never seen in a real
     * checkpoint) is recomputed by the scalar twin.
     *
     * <p>Four rows per pass, a quarter of the range apart (as {@code Q8_0.matvec}: four streams,
     * each over contiguous rows, one activation load for the four): on the 8192 × 2048 shape
     * (2 threads, AVX-512 EPYC) ~23–27 → ~34–39 GB/s against four adjacent rows (docs/results/quantized.md).
     */
    private static void matvecF16(float[] x, int xOff, int in, MemorySegment w, float[] y, int yOff, int r0, int r1, float[] red) {
        int main = in - in % PAIR;
        long rb = in * 2L;
        float[] xs = f16Activations(x, xOff, main);
        int o = r0;
        if (xs != null) {
            int q = (r1 - r0) / 4;
            for (; o < r0 + q; o++) {
                boolean special = dot4F16(xs, main, w, o * rb, q * rb, red);
                for (int k = 0; k < 4; k++) {
                    int r = o + k * q;
                    if (special) ScalarKernels.matvec(x, xOff, in, w, DType.F16, y, yOff, r, r + 1);
                    else y[yOff + r] = hsum(red, k * LANES) + tailHalf(x, xOff, main, in, w, r * rb, true);
                }
            }
            o = r0 + 4 * q;
        }
        for (; o < r1; o++) {
            boolean special = xs != null ? dot1F16(xs, 0, main, w, o * rb, red, 1f) : dot1F16(x, xOff, main, w, o * rb, red, F16_SCALE);
            if (special) ScalarKernels.matvec(x, xOff, in, w, DType.F16, y, yOff, o, o + 1);
            else y[yOff + o] = hsum(red, 0) + tailHalf(x, xOff, main, in, w, o * rb, true);
        }
    }

    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    /** Sign bit, and the 5 + 10 exponent and mantissa bits of a half placed as an f32's (see {@link #matvecF16}). */
    private static final int F16_BITS = 0x8FFFE000;
    /** What the widened bits of a half are multiplied by (on the weight or, exactly, on the activation side). */
    private static final float F16_SCALE = 0x1p112f;
    /** |h| from this on: exponent 31 (±inf, NaN). */
    private static final short F16_INF = 0x7C00;
    /** Per-thread activations × 2^112 ({@link #f16Activations}). */
    private static final ThreadLocal<float[]> F16_X = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * x[xOff, xOff + n) × 2^112 in a per-thread array, or null when that is not exact (|x| ≥ 2^16
     * would overflow; NaN): {@link #matvecF16} then multiplies the weights instead.
     */
    private static float[] f16Activations(float[] x, int xOff, int n) {
        float[] xs = F16_X.get();
        if (xs.length < n) F16_X.set(xs = new float[n]);
        FloatVector m = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            m = v.abs().max(m);
            v.mul(F16_SCALE).intoArray(xs, i);
        }
        float max = m.reduceLanes(VectorOperators.MAX); // exact whatever the order
        for (; i < n; i++) {
            max = Math.max(max, Math.abs(x[xOff + i]));
            xs[i] = x[xOff + i] * F16_SCALE;
        }
        return max < 0x1p16f ? xs : null;
    }

    /**
     * Rows at {@code b0 + k · stride} (k < 4) against activations already × 2^112: even + odd
     * sums to red[k · LANES ..]; true if one of the rows holds ±inf or NaN (red is then unspecified).
     */
    private static boolean dot4F16(float[] x, int main, MemorySegment w, long b0, long stride, float[] red) {
        long b1 = b0 + stride, b2 = b1 + stride, b3 = b2 + stride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        ShortVector m = ShortVector.zero(S);
        for (int i = 0; i < main; i += PAIR) {
            FloatVector xe = FloatVector.fromArray(F, x, i), xo = FloatVector.fromArray(F, x, i + LANES);
            long bo = i * 2L;
            IntVector v0 = IntVector.fromMemorySegment(I, w, b0 + bo, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, w, b1 + bo, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, w, b2 + bo, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, w, b3 + bo, LE);
            a0 = v0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xe, a0);
            c0 = v0.lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xo, c0);
            a1 = v1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xe, a1);
            c1 = v1.lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xo, c1);
            a2 = v2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xe, a2);
            c2 = v2.lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xo, c2);
            a3 = v3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xe, a3);
            c3 = v3.lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().fma(xo, c3);
            ShortVector h01 = ShortVector.fromMemorySegment(S, w, b0 + bo, LE).and((short) 0x7FFF).max(ShortVector.fromMemorySegment(S, w, b1 + bo, LE).and((short) 0x7FFF));
            ShortVector h23 = ShortVector.fromMemorySegment(S, w, b2 + bo, LE).and((short) 0x7FFF).max(ShortVector.fromMemorySegment(S, w, b3 + bo, LE).and((short) 0x7FFF));
            m = h01.max(h23).max(m);
        }
        a0.add(c0).intoArray(red, 0);
        a1.add(c1).intoArray(red, LANES);
        a2.add(c2).intoArray(red, 2 * LANES);
        a3.add(c3).intoArray(red, 3 * LANES);
        return m.compare(VectorOperators.GE, F16_INF).anyTrue();
    }

    /** One row's sum to red[0 ..), the widened weights × {@code scale} (1 when x is already scaled, else 2^112); true if it holds ±inf or NaN. */
    private static boolean dot1F16(float[] x, int xOff, int main, MemorySegment w, long b0, float[] red, float scale) {
        FloatVector a0 = FloatVector.zero(F), c0 = a0;
        ShortVector m = ShortVector.zero(S);
        for (int i = 0; i < main; i += PAIR) {
            long bo = b0 + i * 2L;
            IntVector v0 = IntVector.fromMemorySegment(I, w, bo, LE);
            a0 = v0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().mul(scale).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            c0 = v0.lanewise(VectorOperators.ASHR, 3).and(F16_BITS).reinterpretAsFloats().mul(scale).fma(FloatVector.fromArray(F, x, xOff + i + LANES), c0);
            m = ShortVector.fromMemorySegment(S, w, bo, LE).and((short) 0x7FFF).max(m);
        }
        a0.add(c0).intoArray(red, 0);
        return m.compare(VectorOperators.GE, F16_INF).anyTrue();
    }

    private static float tailHalf(float[] x, int xOff, int from, int in, MemorySegment w, long rowOff, boolean f16) {
        float s = 0;
        for (int i = from; i < in; i++) {
            short h = w.get(SHORT_LE, rowOff + i * 2L);
            float wi = f16 ? Float.float16ToFloat(h) : Float.intBitsToFloat((h & 0xFFFF) << 16);
            s += wi * x[xOff + i];
        }
        return s;
    }

    private static void matvecF32(float[] x, int xOff, int in, MemorySegment w, float[] y, int yOff, int r0, int r1, float[] red) {
        int main = F.loopBound(in);
        long rb = in * 4L;
        int o = r0;
        for (; o + 4 <= r1; o += 4) {
            dot4F32(x, xOff, main, w, o * rb, rb, red);
            for (int r = 0; r < 4; r++) y[yOff + o + r] = hsum(red, r * LANES) + tailF32(x, xOff, main, in, w, (o + r) * rb);
        }
        for (; o < r1; o++) {
            FloatVector a0 = FloatVector.zero(F);
            long b0 = o * rb;
            for (int i = 0; i < main; i += LANES) {
                a0 = FloatVector.fromMemorySegment(F, w, b0 + i * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            }
            a0.intoArray(red, 0);
            y[yOff + o] = hsum(red, 0) + tailF32(x, xOff, main, in, w, b0);
        }
    }

    private static void dot4F32(float[] x, int xOff, int main, MemorySegment w, long b0, long rb, float[] red) {
        long b1 = b0 + rb, b2 = b1 + rb, b3 = b2 + rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < main; i += LANES) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            long bo = i * 4L;
            a0 = FloatVector.fromMemorySegment(F, w, b0 + bo, LE).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(F, w, b1 + bo, LE).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(F, w, b2 + bo, LE).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(F, w, b3 + bo, LE).fma(xv, a3);
        }
        a0.intoArray(red, 0);
        a1.intoArray(red, LANES);
        a2.intoArray(red, 2 * LANES);
        a3.intoArray(red, 3 * LANES);
    }

    private static float tailF32(float[] x, int xOff, int from, int in, MemorySegment w, long rowOff) {
        float s = 0;
        for (int i = from; i < in; i++) s += w.get(FLOAT_LE, rowOff + i * 4L) * x[xOff + i];
        return s;
    }

    /** Blocked GEMM over rows [r0, r1): tiles of 4 rows × KC columns widened to f32 once, 4×4 register blocks. */
    static void gemm(float[] x, int tokens, int in, MemorySegment w, DType d, float[] y, int ys, int r0, int r1, float[] wbuf) {
        int step = pairSplit(d) ? PAIR : LANES;
        int main = in - in % step;
        if (main == 0) {
            for (int t = 0; t < tokens; t++) for (int o = r0; o < r1; o++) y[t * ys + o] = 0f;
        }
        for (int kb = 0; kb < main; kb += KC) {
            int kl = Math.min(KC, main - kb);
            boolean first = kb == 0;
            for (int ob = r0; ob < r1; ob += 4) {
                int rows = Math.min(4, r1 - ob);
                for (int r = 0; r < rows; r++) widen(w, d, (long) (ob + r) * in + kb, wbuf, r * KC, kl);
                int t = 0;
                if (rows == 4) {
                    for (; t + 4 <= tokens; t += 4) block4x4(x, t, in, kb, kl, wbuf, y, ys, ob, first);
                }
                for (; t < tokens; t++) {
                    for (int r = 0; r < rows; r++) {
                        float s = dotF32(wbuf, r * KC, x, t * in + kb, kl);
                        int yi = t * ys + ob + r;
                        y[yi] = first ? s : y[yi] + s;
                    }
                }
            }
        }
        if (main < in) {
            boolean f16 = d == DType.F16;
            for (int o = r0; o < r1; o++) {
                long rowOff = (long) o * in * d.bytes();
                for (int t = 0; t < tokens; t++) {
                    y[t * ys + o] += d == DType.F32 ? tailF32(x, t * in, main, in, w, rowOff) : tailHalf(x, t * in, main, in, w, rowOff, f16);
                }
            }
        }
    }

    /** {@code n} weights from element {@code elem} to f32 in {@code out} (pair-split order for half types). */
    private static void widen(MemorySegment w, DType d, long elem, float[] out, int outOff, int n) {
        switch (d) {
            case BF16 -> {
                long off = elem * 2;
                for (int i = 0; i < n; i += PAIR) {
                    IntVector v = IntVector.fromMemorySegment(I, w, off + i * 2L, LE);
                    v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(out, outOff + i);
                    v.and(0xFFFF0000).reinterpretAsFloats().intoArray(out, outOff + i + LANES);
                }
            }
            case F16 -> f16ToFloats(w, elem * 2, out, outOff, n);
            case F32 -> MemorySegment.copy(w, FLOAT_LE, elem * 4, out, outOff, n);
            // block types: elem and n are whole blocks (rows are, and the tile widths KC, KT are multiples of 256)
            default -> BlockCodec.of(d).dequantize(w, d.bytesOf(elem), out, outOff, n / d.blockSize());
        }
    }

    /**
     * y[yOff + o] = W[o, :] · x[xOff ..] for o in [r0, r1), W block-quantized: each row's blocks are
     * decoded and multiplied in registers as they stream in ({@link BlockCodec#matvec}), never written out.
     */
    public static void matvecQuant(float[] x, int xOff, int in, MemorySegment w, DType d, float[] y, int yOff, int r0, int r1, float[] tmp) {
        BlockCodec.of(d).matvec(w, x, xOff, in, y, yOff, r0, r1, tmp);
    }

    private static void block4x4(float[] x, int t, int in, int kb, int kl, float[] wb, float[] y, int ys, int ob, boolean first) {
        int x0 = t * in + kb, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
        int w1 = KC, w2 = 2 * KC, w3 = 3 * KC;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int i = 0; i < kl; i += LANES) {
            FloatVector a = FloatVector.fromArray(F, x, x0 + i), b = FloatVector.fromArray(F, x, x1 + i);
            FloatVector c = FloatVector.fromArray(F, x, x2 + i), e = FloatVector.fromArray(F, x, x3 + i);
            FloatVector r = FloatVector.fromArray(F, wb, i);
            s00 = r.fma(a, s00); s01 = r.fma(b, s01); s02 = r.fma(c, s02); s03 = r.fma(e, s03);
            r = FloatVector.fromArray(F, wb, w1 + i);
            s10 = r.fma(a, s10); s11 = r.fma(b, s11); s12 = r.fma(c, s12); s13 = r.fma(e, s13);
            r = FloatVector.fromArray(F, wb, w2 + i);
            s20 = r.fma(a, s20); s21 = r.fma(b, s21); s22 = r.fma(c, s22); s23 = r.fma(e, s23);
            r = FloatVector.fromArray(F, wb, w3 + i);
            s30 = r.fma(a, s30); s31 = r.fma(b, s31); s32 = r.fma(c, s32); s33 = r.fma(e, s33);
        }
        // accumulators leave through memory: a call taking a vector would box it when C2 stops inlining in this large method
        int rd = RED;
        s00.intoArray(wb, rd); s01.intoArray(wb, rd + LANES); s02.intoArray(wb, rd + 2 * LANES); s03.intoArray(wb, rd + 3 * LANES);
        s10.intoArray(wb, rd + 4 * LANES); s11.intoArray(wb, rd + 5 * LANES); s12.intoArray(wb, rd + 6 * LANES); s13.intoArray(wb, rd + 7 * LANES);
        s20.intoArray(wb, rd + 8 * LANES); s21.intoArray(wb, rd + 9 * LANES); s22.intoArray(wb, rd + 10 * LANES); s23.intoArray(wb, rd + 11 * LANES);
        s30.intoArray(wb, rd + 12 * LANES); s31.intoArray(wb, rd + 13 * LANES); s32.intoArray(wb, rd + 14 * LANES); s33.intoArray(wb, rd + 15 * LANES);
        int y0 = t * ys + ob;
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                int yi = y0 + k * ys + r;
                float s = hsum(wb, rd + (4 * r + k) * LANES);
                y[yi] = first ? s : y[yi] + s;
            }
        }
    }

    /** Sum of red[off .. off + LANES) in a fixed pairwise order (see {@link #sum}). */
    static float hsum(float[] red, int off) {
        int n = LANES;
        for (int h = n / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) red[off + i] += red[off + i + h];
        }
        return red[off];
    }

    static float hsum(float[] red) {
        return hsum(red, 0);
    }

    /** Σ a[aOff + i] · b[bOff + i] for i < n, n a multiple of the lane count. */
    private static float dotF32(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += LANES) acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        if (LANES == 16) acc = acc.add(acc.rearrange(X8));
        if (LANES >= 8) acc = acc.add(acc.rearrange(X4));
        if (LANES >= 4) acc = acc.add(acc.rearrange(X2));
        if (LANES >= 2) acc = acc.add(acc.rearrange(X1));
        return acc.lane(0);
    }

    // ---------------------------------------------------------------- element-wise and reductions

    /** HF RMSNorm in f32: x · rsqrt(mean(x²) + eps) · weight, per row of width n. */
    public static void rmsnorm(float[] x, int xOff, float[] out, int outOff, float[] weight, int n, float eps) {
        if (vecNorm) rmsnormVec(x, xOff, out, outOff, weight, n, eps);
        else ScalarKernels.rmsnorm(x, xOff, out, outOff, weight, n, eps);
    }

    static void rmsnormVec(float[] x, int xOff, float[] out, int outOff, float[] weight, int n, float eps) {
        int main = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < main; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            acc = v.fma(v, acc);
        }
        if (LANES == 16) acc = acc.add(acc.rearrange(X8));
        if (LANES >= 8) acc = acc.add(acc.rearrange(X4));
        if (LANES >= 4) acc = acc.add(acc.rearrange(X2));
        if (LANES >= 2) acc = acc.add(acc.rearrange(X1));
        float ss = acc.lane(0);
        for (int i = main; i < n; i++) ss += x[xOff + i] * x[xOff + i];
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < main; i += LANES) {
            FloatVector.fromArray(F, x, xOff + i).mul(inv).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, outOff + i);
        }
        for (int i = main; i < n; i++) out[outOff + i] = weight[i] * (x[xOff + i] * inv);
    }

    /** Rotates every head of row {@code off} by the position's cos / sin (transformers' rotate_half pairing: i with i + d/2). */
    public static void rope(float[] v, int off, int heads, int headDim, float[] cos, float[] sin, int csOff) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float a = v[base + i], b = v[base + i + half];
                float c = cos[csOff + i], s = sin[csOff + i];
                v[base + i] = a * c - b * s;
                v[base + i + half] = b * c + a * s;
            }
        }
    }

    /** As {@link #rope(float[], int, int, int, float[], float[], int)} pairing i with i + 1 (llama.cpp's {@code llama} row order: frequency i/2). */
    public static void ropeInterleaved(float[] v, int off, int heads, int headDim, float[] cos, float[] sin, int csOff) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float a = v[base + 2 * i], b = v[base + 2 * i + 1];
                float c = cos[csOff + i], s = sin[csOff + i];
                v[base + 2 * i] = a * c - b * s;
                v[base + 2 * i + 1] = b * c + a * s;
            }
        }
    }

    /**
     * RoPE tables for positions pos0 … pos0 + tokens − 1: cos / sin of position × inverse frequency
     * in f32 as transformers forms them, [tokens, invFreq.length] each.
     */
    public static void ropeTables(float[] invFreq, int pos0, int tokens, float[] cos, float[] sin) {
        int half = invFreq.length;
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < half; i++) {
                float f = invFreq[i] * (float) (pos0 + t);
                cos[t * half + i] = (float) Math.cos(f);
                sin[t * half + i] = (float) Math.sin(f);
            }
        }
    }

    /** {@link #rope(float[], int, int, int, float[], float[], int)} with the tables at offset 0. */
    public static void rope(float[] v, int off, int heads, int headDim, float[] cos, float[] sin) {
        rope(v, off, heads, headDim, cos, sin, 0);
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return vecAttn ? dotVec(a, aOff, b, bOff, n) : ScalarKernels.dot(a, aOff, b, bOff, n);
    }

    static float dotVec(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        if (LANES == 16) acc = acc.add(acc.rearrange(X8));
        if (LANES >= 8) acc = acc.add(acc.rearrange(X4));
        if (LANES >= 4) acc = acc.add(acc.rearrange(X2));
        if (LANES >= 2) acc = acc.add(acc.rearrange(X1));
        float s = acc.lane(0);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** dst[dOff..] += a · src[sOff..] over n elements. */
    public static void axpy(float a, float[] src, int sOff, float[] dst, int dOff, int n) {
        if (vecAttn) axpyVec(a, src, sOff, dst, dOff, n);
        else ScalarKernels.axpy(a, src, sOff, dst, dOff, n);
    }

    static void axpyVec(float a, float[] src, int sOff, float[] dst, int dOff, int n) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, a);
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(F, dst, dOff + i);
            av.fma(FloatVector.fromArray(F, src, sOff + i), d).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) dst[dOff + i] += a * src[sOff + i];
    }

    /** Keys per block of {@link #scoresT}: four vectors, four independent FMA chains. */
    public static final int SCORE_BLOCK = 4 * LANES;

    /**
     * Attention scores of one query against keys stored transposed:
     * s[sOff + j] = scale · Σ_d q[qOff + d] · kT[kOff + d · ldk + j] for j < nb, nb a multiple of
     * {@link #SCORE_BLOCK}. Each d broadcasts one query element over SCORE_BLOCK keys: no
     * horizontal sum per key, which {@link #dot} pays.
     */
    public static void scoresT(float[] q, int qOff, float[] kT, int kOff, int ldk, int hd, int nb, float[] s, int sOff, float scale) {
        if (vecAttn) scoresTVec(q, qOff, kT, kOff, ldk, hd, nb, s, sOff, scale);
        else ScalarKernels.scoresT(q, qOff, kT, kOff, ldk, hd, nb, s, sOff, scale);
    }

    static void scoresTVec(float[] q, int qOff, float[] kT, int kOff, int ldk, int hd, int nb, float[] s, int sOff, float scale) {
        for (int j = 0; j < nb; j += SCORE_BLOCK) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int d = 0; d < hd; d++) {
                FloatVector qd = FloatVector.broadcast(F, q[qOff + d]);
                int ko = kOff + d * ldk + j;
                a0 = FloatVector.fromArray(F, kT, ko).fma(qd, a0);
                a1 = FloatVector.fromArray(F, kT, ko + LANES).fma(qd, a1);
                a2 = FloatVector.fromArray(F, kT, ko + 2 * LANES).fma(qd, a2);
                a3 = FloatVector.fromArray(F, kT, ko + 3 * LANES).fma(qd, a3);
            }
            int so = sOff + j;
            a0.mul(scale).intoArray(s, so);
            a1.mul(scale).intoArray(s, so + LANES);
            a2.mul(scale).intoArray(s, so + 2 * LANES);
            a3.mul(scale).intoArray(s, so + 3 * LANES);
        }
    }

    /**
     * out[oOff + d] = Σ_{j < n} p[pOff + j] · v[j · vs + vOff + d] for d < hd (a multiple of
     * {@link #LANES}), summed over j in order with one FMA per term as {@link #axpy} does, but with
     * the sums in registers across j (axpy loads and stores the output once per key).
     */
    public static void pv(float[] p, int pOff, int n, float[] v, int vOff, int vs, int hd, float[] out, int oOff) {
        if (vecAttn) pvVec(p, pOff, n, v, vOff, vs, hd, out, oOff);
        else ScalarKernels.pv(p, pOff, n, v, vOff, vs, hd, out, oOff);
    }

    static void pvVec(float[] p, int pOff, int n, float[] v, int vOff, int vs, int hd, float[] out, int oOff) {
        int d = 0;
        for (; d + 4 * LANES <= hd; d += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < n; j++) {
                FloatVector pj = FloatVector.broadcast(F, p[pOff + j]);
                int vo = j * vs + vOff + d;
                a0 = FloatVector.fromArray(F, v, vo).fma(pj, a0);
                a1 = FloatVector.fromArray(F, v, vo + LANES).fma(pj, a1);
                a2 = FloatVector.fromArray(F, v, vo + 2 * LANES).fma(pj, a2);
                a3 = FloatVector.fromArray(F, v, vo + 3 * LANES).fma(pj, a3);
            }
            int o = oOff + d;
            a0.intoArray(out, o);
            a1.intoArray(out, o + LANES);
            a2.intoArray(out, o + 2 * LANES);
            a3.intoArray(out, o + 3 * LANES);
        }
        for (; d < hd; d += LANES) {
            FloatVector a = FloatVector.zero(F);
            for (int j = 0; j < n; j++) a = FloatVector.fromArray(F, v, j * vs + vOff + d).fma(FloatVector.broadcast(F, p[pOff + j]), a);
            a.intoArray(out, oOff + d);
        }
    }

    /** dst[i] += src[i] for i < n. */
    public static void add(float[] dst, float[] src, int n) {
        if (vecElem) addVec(dst, src, n);
        else ScalarKernels.add(dst, src, n);
    }

    static void addVec(float[] dst, float[] src, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(F, dst, i).add(FloatVector.fromArray(F, src, i)).intoArray(dst, i);
        }
        for (; i < n; i++) dst[i] += src[i];
    }

    /**
     * g[i] = silu(g[i]) · u[i] (Llama's gated MLP) in f32, as g·u / (1 + e^−g); {@code u} is
     * overwritten (it is scratch).
     */
    public static void siluMul(float[] g, float[] u, int n) {
        siluMul(g, u, 0, n);
    }

    /** {@link #siluMul(float[], float[], int)} over [off, off + n). */
    public static void siluMul(float[] g, float[] u, int off, int n) {
        if (vecElem) siluMulVec(g, u, off, n);
        else ScalarKernels.siluMul(g, u, off, n);
    }

    static void siluMulVec(float[] g, float[] u, int off, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, g, off + i);
            v.mul(FloatVector.fromArray(F, u, off + i)).intoArray(u, off + i);
            v.neg().intoArray(g, off + i);
        }
        for (; i < n; i++) {
            u[off + i] *= g[off + i];
            g[off + i] = -g[off + i];
        }
        exp(g, off, n);
        i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(F, u, off + i).div(FloatVector.fromArray(F, g, off + i).add(1f)).intoArray(g, off + i);
        }
        for (; i < n; i++) g[off + i] = u[off + i] / (1f + g[off + i]);
    }

    public static float silu(float v) {
        return (float) (v / (1.0 + Math.exp(-v)));
    }

    /** s[0..n) ← softmax(s[0..n)) in f32 (max subtracted first, as torch does). */
    public static void softmax(float[] s, int off, int n) {
        if (vecAttn) softmaxVec(s, off, n);
        else ScalarKernels.softmax(s, off, n);
    }

    static void softmaxVec(float[] s, int off, int n) {
        int main = F.loopBound(n);
        float max = Float.NEGATIVE_INFINITY;
        if (main > 0) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < main; i += LANES) m = FloatVector.fromArray(F, s, off + i).max(m);
            max = m.reduceLanes(VectorOperators.MAX); // exact whatever the order
        }
        for (int i = main; i < n; i++) max = Math.max(max, s[off + i]);
        for (int i = 0; i < main; i += LANES) FloatVector.fromArray(F, s, off + i).sub(max).intoArray(s, off + i);
        for (int i = main; i < n; i++) s[off + i] -= max;
        exp(s, off, n);
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < main; i += LANES) acc = FloatVector.fromArray(F, s, off + i).add(acc);
        if (LANES == 16) acc = acc.add(acc.rearrange(X8));
        if (LANES >= 8) acc = acc.add(acc.rearrange(X4));
        if (LANES >= 4) acc = acc.add(acc.rearrange(X2));
        if (LANES >= 2) acc = acc.add(acc.rearrange(X1));
        float total = acc.lane(0);
        for (int i = main; i < n; i++) total += s[off + i];
        float inv = 1f / total;
        for (int i = 0; i < main; i += LANES) FloatVector.fromArray(F, s, off + i).mul(inv).intoArray(s, off + i);
        for (int i = main; i < n; i++) s[off + i] *= inv;
    }
}
