package dev.drllm.train;

/**
 * Class-weighted focal loss over the three router classes (0 skip, 1 execute, 2 repeat), mean
 * reduction: {@code mean_i w[t_i] · (1 − p_t)^γ · (−log p_t)} with {@code p = softmax(z_i)}.
 * The weight multiplies the focal term as an alpha factor (it does not enter {@code p_t}); that
 * is the form the {@code focal.*} reference tensors were computed with.
 *
 * <p>Dr.LLM (§3.3) trains on labels that are ~95% "execute"; the focal term down-weights the easy
 * executes and the effective-number weights (Cui et al. 2019) lift the rare skips and repeats.
 */
public final class FocalLoss {
    public static final int CLASSES = dev.drllm.routing.Router.CLASSES;
    public static final double PAPER_GAMMA = 2.0;
    public static final double PAPER_BETA = 0.999;

    private final double gamma;
    private final float[] classWeights;

    public FocalLoss(double gamma, float[] classWeights) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("focal gamma must be >= 0, got " + gamma);
        if (classWeights.length != CLASSES) throw new IllegalArgumentException("need " + CLASSES + " class weights, got " + classWeights.length);
        this.gamma = gamma;
        this.classWeights = classWeights.clone();
    }

    public double gamma() { return gamma; }

    public float[] classWeights() { return classWeights.clone(); }

    /**
     * Effective-number weights {@code w_c ∝ (1−β)/(1−β^{n_c})}, normalised to sum to the number of
     * classes. A class with no examples gets weight 0 (the formula would divide by zero; it never
     * appears as a target, so only the normalisation of the others is affected).
     */
    public static float[] effectiveNumberWeights(long[] counts, double beta) {
        if (!(beta > 0 && beta < 1)) throw new IllegalArgumentException("beta must be in (0, 1), got " + beta);
        double[] w = new double[counts.length];
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < 0) throw new IllegalArgumentException("class " + c + " has a negative count " + counts[c]);
            if (counts[c] == 0) continue;
            // 1 − β^n as −expm1(n·ln β): exact for large n, where β^n underflows towards 0.
            w[c] = (1 - beta) / -Math.expm1(counts[c] * Math.log(beta));
            sum += w[c];
        }
        if (sum == 0) throw new IllegalArgumentException("no labels: every class count is 0");
        float[] out = new float[counts.length];
        for (int c = 0; c < counts.length; c++) out[c] = (float) (w[c] / sum * counts.length);
        return out;
    }

    /**
     * Mean loss over {@code n} rows of {@code logits} ([n, 3], row-major). When {@code grad} is
     * non-null it receives d(mean loss)/d(logits), [n, 3]. Accumulates in double: the rows are
     * few and the gradient check compares against finite differences.
     */
    public double lossAndGrad(float[] logits, int[] targets, int n, float[] grad) {
        double total = 0;
        double[] p = new double[CLASSES];
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t < 0 || t >= CLASSES) throw new IllegalArgumentException("target " + t + " at row " + i + " is not 0, 1 or 2");
            int o = i * CLASSES;
            double max = Math.max(logits[o], Math.max(logits[o + 1], logits[o + 2]));
            double z = 0;
            for (int c = 0; c < CLASSES; c++) z += Math.exp(logits[o + c] - max);
            double logZ = Math.log(z);
            for (int c = 0; c < CLASSES; c++) p[c] = Math.exp(logits[o + c] - max - logZ);
            double logPt = logits[o + t] - max - logZ;
            double pt = p[t];
            double w = classWeights[t];
            double oneMinus = 1 - pt;
            double mod = Math.pow(oneMinus, gamma);
            total += -w * mod * logPt;
            if (grad != null) {
                // L = −w·f(p_t), f(p) = (1−p)^γ·log p, dp_t/dz_j = p_t(δ_tj − p_j), so
                // dL/dz_j = −w·[(1−p_t)^γ − γ(1−p_t)^{γ−1}·p_t·log p_t]·(δ_tj − p_j).
                double dmod = gamma == 0 ? 0 : gamma * Math.pow(oneMinus, gamma - 1);
                double s = -w * (mod - dmod * pt * logPt) / n;
                for (int c = 0; c < CLASSES; c++) grad[o + c] = (float) (s * ((c == t ? 1 : 0) - p[c]));
            }
        }
        return total / n;
    }
}
