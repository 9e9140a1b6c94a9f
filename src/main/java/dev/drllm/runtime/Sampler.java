package dev.drllm.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Greedy (temperature 0) or temperature + nucleus sampling with a seeded generator. Greedy picks
 * the first maximal index, as torch.argmax does.
 */
public final class Sampler {
    private final float temperature;
    private final float topP;
    private final SplittableRandom random;

    public Sampler(float temperature, float topP, long seed) {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        this.temperature = temperature;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    public static Sampler greedy() { return new Sampler(0, 1, 0); }

    public boolean isGreedy() { return temperature == 0; }

    public static int argmax(float[] logits, int off, int n) {
        int best = 0;
        float bv = logits[off];
        for (int i = 1; i < n; i++) {
            float v = logits[off + i];
            if (v > bv) {
                bv = v;
                best = i;
            }
        }
        return best;
    }

    /** Next token from a row of {@code n} logits at {@code off}. */
    public int sample(float[] logits, int off, int n) {
        if (temperature == 0) return argmax(logits, off, n);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i] / temperature);
        // a temperature tiny next to the logits overflows the division: its limit is greedy (exp(inf - inf) would be NaN)
        if (Double.isInfinite(max)) return argmax(logits, off, n);
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[off + i] / temperature - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) p[i] /= sum;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        // nucleus: the smallest prefix of the sorted distribution whose mass reaches top-p (at least one token)
        int keep = 0;
        double mass = 0;
        while (keep < n && (keep == 0 || mass < topP)) mass += p[order[keep++]];
        double r = random.nextDouble() * mass;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += p[order[i]];
            if (r < acc) return order[i];
        }
        return order[keep - 1];
    }
}
