package dev.drllm.eval;

import dev.drllm.runtime.LayerPath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The static skip-N baseline: the same N layers skipped for every question. It isolates what
 * per-input routing adds over a fixed shorter network of about the same cost: N defaults to the
 * layers the routed run saves on average (at least 1), and the N layers are those the routers
 * find most skippable on average over the evaluated questions (mean softmax probability of
 * "skip"). Only router outputs are used to pick them, never answers or labels.
 */
public final class StaticSkip {
    private StaticSkip() {}

    /** N = round(L − mean routed path length), at least 1 and at most L − 1. */
    public static int defaultCount(int numLayers, List<Evaluator.Outcome> routed) {
        double mean = routed.stream().mapToInt(o -> o.path().length).average().orElse(numLayers);
        return Math.max(1, Math.min(numLayers - 1, (int) Math.round(numLayers - mean)));
    }

    /** The {@code n} layers with the highest mean skip probability (ties: the later layer). */
    public static int[] mostSkippable(int numLayers, List<Evaluator.Outcome> routed, int n) {
        double[] p = new double[numLayers];
        int seen = 0;
        for (Evaluator.Outcome o : routed) {
            if (o.decisionLogits() == null) continue;
            seen++;
            for (int l = 0; l < numLayers; l++) {
                float[] z = o.decisionLogits()[l];
                double m = Math.max(z[0], Math.max(z[1], z[2]));
                double e0 = Math.exp(z[0] - m), e1 = Math.exp(z[1] - m), e2 = Math.exp(z[2] - m);
                p[l] += e0 / (e0 + e1 + e2);
            }
        }
        if (seen == 0) throw new IllegalArgumentException("the routed run carries no router logits to rank layers by");
        List<Integer> order = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) order.add(l);
        order.sort(Comparator.<Integer>comparingDouble(l -> -p[l]).thenComparing(l -> -l));
        return order.subList(0, n).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    public static LayerPath path(int numLayers, int[] skipped) {
        int[] counts = new int[numLayers];
        java.util.Arrays.fill(counts, 1);
        for (int l : skipped) {
            if (l < 0 || l >= numLayers) throw new IllegalArgumentException("layer " + l + " is outside 0.." + (numLayers - 1));
            counts[l] = 0;
        }
        return LayerPath.fromCounts(counts);
    }
}
