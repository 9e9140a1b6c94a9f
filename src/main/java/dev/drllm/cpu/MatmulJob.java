package dev.drllm.cpu;

import dev.drllm.model.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Up to three matrices that read the same activations (q/k/v, or gate/up), run as one parallel
 * loop over their concatenated rows: one dispatch instead of three, and no idle worker between
 * them. Reused across calls (fields are reset by {@link #begin}), so dispatching allocates nothing.
 */
final class MatmulJob implements CpuPool.RangeBody {
    private final Tensor[] w = new Tensor[3];
    private final float[][] y = new float[3][];
    private final int[] rowStart = new int[4];
    private int count;
    private float[] x, xp;
    private int tokens, in;
    private final float[][] wbuf;
    /** Long prompts: activations transposed for the outer-product GEMM (pair-split and plain orders), and its output scratch. */
    private MemorySegment xT, xTp;
    private float[] yT;
    private int tp;
    private boolean outer;
    /** Whether the job has half-precision (pair-split) / F32 matrices: which transposes to make. */
    private boolean half, plain;
    /** This call runs the vector bodies whatever the warm-up's switches say (a large call). */
    private boolean vector;

    MatmulJob(int workers) {
        wbuf = new float[workers][CpuKernels.WBUF];
    }

    /**
     * Starts a job over activations {@code x} [tokens, in]; {@code xp} is scratch of the same size
     * that receives x pair-split when a half-precision matrix takes the per-token path (the
     * long-prompt path pair-splits while transposing instead).
     */
    MatmulJob begin(float[] x, float[] xp, int tokens, int in) {
        this.x = x;
        this.xp = xp;
        this.tokens = tokens;
        this.in = in;
        this.count = 0;
        return this;
    }

    /** Adds W [out, in] writing y [tokens, out]. */
    MatmulJob add(Tensor weight, float[] out) {
        w[count] = weight;
        y[count] = out;
        rowStart[count + 1] = rowStart[count] + weight.dim(0);
        count++;
        return this;
    }

    int rows() { return rowStart[count]; }

    void run(CpuPool pool) {
        outer = tokens >= CpuKernels.GEMM_T_MIN;
        // a large product runs the vector kernels even before the warm-up switched them (see KernelWarmup.large)
        vector = KernelWarmup.large((long) rows() * in * tokens);
        if (outer) {
            prepareOuter(pool);
        } else if (anyHalf()) {
            for (int t = 0; t < tokens; t++) CpuKernels.splitPairs(x, t * in, xp, t * in, in);
        }
        pool.forRange(rows(), outer ? CpuKernels.TILE_ROWS : 4, (long) rows() * in * tokens, this, outer ? CpuKernels.gemmTChunks(rows(), pool.threads()) : 4);
        for (int i = 0; i < count; i++) {
            w[i] = null;
            y[i] = null;
        }
        x = xp = null;
    }

    private boolean anyHalf() {
        for (int m = 0; m < count; m++) if (CpuKernels.pairSplit(w[m].dtype())) return true;
        return false;
    }

    private void prepareOuter(CpuPool pool) {
        tp = CpuKernels.paddedTokens(tokens);
        half = plain = false;
        for (int m = 0; m < count; m++) {
            if (CpuKernels.pairSplit(w[m].dtype())) half = true;
            else plain = true;
        }
        long bytes = (long) in * tp * Float.BYTES;
        if (half && (xTp == null || xTp.byteSize() < bytes)) xTp = Arena.ofAuto().allocate(bytes, CpuKernels.XT_ALIGN);
        if (plain && (xT == null || xT.byteSize() < bytes)) xT = Arena.ofAuto().allocate(bytes, CpuKernels.XT_ALIGN);
        int need = rows() * tp;
        if (yT == null || yT.length < need) yT = new float[need];
        pool.forRange(in, CpuKernels.PAIR, (long) in * tokens, transposer, 4);
    }

    /** Column blocks of the transposes, in parallel: on one thread they were ~6% of a 1B prefill, with the other core idle. */
    private final CpuPool.RangeBody transposer = (from, to, worker) -> {
        if (half) CpuKernels.transpose(x, tokens, in, xTp, tp, true, from, to);
        if (plain) CpuKernels.transpose(x, tokens, in, xT, tp, false, from, to);
    };
    @Override
    public void run(int from, int to, int worker) {
        for (int m = 0; m < count; m++) {
            int a = Math.max(from, rowStart[m]), b = Math.min(to, rowStart[m + 1]);
            if (a >= b) continue;
            int base = rowStart[m];
            Tensor t = w[m];
            if (outer) {
                boolean h = CpuKernels.pairSplit(t.dtype());
                // yT rows follow the job's row space, so concurrent chunks never overlap
                if (vector) CpuKernels.gemmTVec(h ? xTp : xT, tp, x, tokens, in, t, y[m], t.dim(0), a - base, b - base, wbuf[worker], yT, a * tp);
                else CpuKernels.gemmT(h ? xTp : xT, tp, x, tokens, in, t, y[m], t.dim(0), a - base, b - base, wbuf[worker], yT, a * tp);
            } else {
                CpuKernels.matmul(x, xp, tokens, in, t, y[m], t.dim(0), a - base, b - base, wbuf[worker], vector);
            }
        }
    }
}
