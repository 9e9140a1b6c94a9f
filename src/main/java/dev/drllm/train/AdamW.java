package dev.drllm.train;

/**
 * AdamW (Loshchilov &amp; Hutter) with PyTorch's update order: decoupled decay {@code p ← p·(1 − lr·wd)},
 * then the bias-corrected Adam step. One instance per router; the learning rate comes from the
 * schedule at every step. Weight decay applies to every tensor, biases included, as
 * {@code torch.optim.AdamW(router.parameters())} does.
 */
public final class AdamW {
    private final double beta1, beta2, eps, weightDecay;
    private final float[][] m, v;
    private long step;

    public AdamW(float[][] params, double weightDecay) {
        this(params, 0.9, 0.999, 1e-8, weightDecay);
    }

    public AdamW(float[][] params, double beta1, double beta2, double eps, double weightDecay) {
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        m = new float[params.length][];
        v = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            m[i] = new float[params[i].length];
            v[i] = new float[params[i].length];
        }
    }

    public long steps() { return step; }

    /** One update of {@code params} (same order and shapes as at construction) from {@code grads}. */
    public void step(float[][] params, float[][] grads, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double decay = 1 - lr * weightDecay;
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        for (int t = 0; t < params.length; t++) {
            float[] p = params[t], g = grads[t], mt = m[t], vt = v[t];
            for (int i = 0; i < p.length; i++) {
                double gi = g[i];
                mt[i] = (float) (beta1 * mt[i] + (1 - beta1) * gi);
                vt[i] = (float) (beta2 * vt[i] + (1 - beta2) * gi * gi);
                double denom = Math.sqrt(vt[i]) / sqrtBc2 + eps;
                p[i] = (float) (p[i] * decay - stepSize * mt[i] / denom);
            }
        }
    }
}
