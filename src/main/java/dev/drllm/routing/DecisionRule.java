package dev.drllm.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How router logits become run counts (DESIGN.md §2, budget control).
 *
 * <ul>
 *   <li>argmax of the averaged logits, after adding {@code skipBias} to logit 0 and
 *       {@code repeatBias} to logit 2 (a request's knob: positive skip bias saves layers, negative
 *       repeat bias suppresses repeats). Ties go to the lowest class, as torch.argmax does.</li>
 *   <li>{@code staticRouting}: every layer executes once whatever the routers say, reproducing the
 *       base model bit for bit.</li>
 *   <li>{@code maxPath}: a cap N on the path length (-1: none). When the argmax path is longer,
 *       {@link #cap} first turns repeats back into single executions, least-confident repeat first
 *       (lowest softmax probability of "repeat"), then skips executed layers, least-confident first
 *       (lowest probability of running at all, 1 − p(skip)), until the path has N slots. Ties drop
 *       the later layer first, so the result is deterministic.</li>
 * </ul>
 * Probabilities are taken over the biased logits: the bias is part of what the request asked for.
 */
public record DecisionRule(boolean staticRouting, float skipBias, float repeatBias, int maxPath) {
    public static final int NO_CAP = -1;

    public DecisionRule {
        if (!Float.isFinite(skipBias) || !Float.isFinite(repeatBias)) {
            throw new IllegalArgumentException("route biases must be finite numbers, got skip=" + skipBias + ", repeat=" + repeatBias);
        }
        if (maxPath < NO_CAP) throw new IllegalArgumentException("max path must be >= 0, got " + maxPath);
        if (staticRouting && (skipBias != 0 || repeatBias != 0 || maxPath != NO_CAP)) {
            throw new IllegalArgumentException("static routing executes every layer; it takes no route bias or max path");
        }
    }

    public static DecisionRule argmax() { return new DecisionRule(false, 0, 0, NO_CAP); }

    public static DecisionRule staticAll() { return new DecisionRule(true, 0, 0, NO_CAP); }

    public DecisionRule withBias(float skip, float repeat) { return new DecisionRule(staticRouting, skip, repeat, maxPath); }

    public DecisionRule withMaxPath(int n) { return new DecisionRule(staticRouting, skipBias, repeatBias, n); }

    public boolean capped() { return maxPath != NO_CAP; }

    /** The logits the decision is taken on. */
    public float[] biased(float[] logits) {
        return new float[]{logits[Router.SKIP] + skipBias, logits[Router.EXECUTE], logits[Router.REPEAT] + repeatBias};
    }

    /** The run count (0 skip, 1 execute, 2 repeat) for one layer's averaged logits. */
    public int decide(float[] logits) {
        if (staticRouting) return 1;
        float[] z = biased(logits);
        int best = 0;
        for (int k = 1; k < Router.CLASSES; k++) if (z[k] > z[best]) best = k;
        if (Float.isNaN(z[0]) || Float.isNaN(z[1]) || Float.isNaN(z[2])) {
            throw new IllegalStateException("router logits are NaN (non-finite hidden state?)");
        }
        return best;
    }

    /** Softmax of the biased logits, in double (max-subtracted). */
    public double[] probabilities(float[] logits) {
        float[] z = biased(logits);
        double m = Math.max(z[0], Math.max(z[1], z[2]));
        double[] p = new double[Router.CLASSES];
        double s = 0;
        for (int k = 0; k < Router.CLASSES; k++) s += p[k] = Math.exp(z[k] - m);
        for (int k = 0; k < Router.CLASSES; k++) p[k] /= s;
        return p;
    }

    /**
     * Applies the length cap to run counts decided from {@code logits} ([L][3]); returns new counts
     * (the input is not modified). Without a cap, or when the path already fits, the counts are
     * returned unchanged.
     */
    public int[] cap(int[] counts, float[][] logits) {
        int[] out = counts.clone();
        if (!capped()) return out;
        int length = 0;
        for (int c : out) length += c;
        if (length <= maxPath) return out;
        record Candidate(int layer, double confidence) {}
        Comparator<Candidate> leastConfidentFirst = Comparator.comparingDouble(Candidate::confidence)
                .thenComparing(Comparator.comparingInt(Candidate::layer).reversed());
        List<Candidate> repeats = new ArrayList<>();
        for (int l = 0; l < out.length; l++) {
            if (out[l] == 2) repeats.add(new Candidate(l, probabilities(logits[l])[Router.REPEAT]));
        }
        repeats.sort(leastConfidentFirst);
        for (Candidate c : repeats) {
            if (length <= maxPath) return out;
            out[c.layer()] = 1;
            length--;
        }
        List<Candidate> executes = new ArrayList<>();
        for (int l = 0; l < out.length; l++) {
            if (out[l] == 1) executes.add(new Candidate(l, 1 - probabilities(logits[l])[Router.SKIP]));
        }
        executes.sort(leastConfidentFirst);
        for (Candidate c : executes) {
            if (length <= maxPath) return out;
            out[c.layer()] = 0;
            length--;
        }
        return out;
    }
}
