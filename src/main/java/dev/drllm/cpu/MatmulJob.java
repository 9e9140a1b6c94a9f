package dev.drllm.cpu;

import dev.drllm.model.Tensor;

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

    MatmulJob(int workers) {
        wbuf = new float[workers][CpuKernels.WBUF];
    }

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
        pool.forRange(rows(), 4, (long) rows() * in * tokens, this);
        for (int i = 0; i < count; i++) {
            w[i] = null;
            y[i] = null;
        }
        x = xp = null;
    }

    @Override
    public void run(int from, int to, int worker) {
        for (int m = 0; m < count; m++) {
            int a = Math.max(from, rowStart[m]), b = Math.min(to, rowStart[m + 1]);
            if (a >= b) continue;
            int base = rowStart[m];
            Tensor t = w[m];
            CpuKernels.matmul(x, xp, tokens, in, t, y[m], t.dim(0), a - base, b - base, wbuf[worker]);
        }
    }
}
