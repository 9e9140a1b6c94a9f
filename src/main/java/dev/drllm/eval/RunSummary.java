package dev.drllm.eval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate of one configuration over a task file: accuracy (per DART level too), the average
 * executed path length (slots per forward pass), layer executions per question summed over the
 * prefill and every decode pass (as the paper counts layers), and decode tokens per second.
 */
public record RunSummary(String name, int questions, double accuracy, Map<Integer, double[]> byLevel, double avgPathLength,
                         double avgLayerExecutions, double decodeTokensPerSecond, double avgPrefillMs) {
    /** {@code byLevel}: level → {accuracy, count}. */
    public static RunSummary of(String name, List<Evaluator.Outcome> outcomes) {
        int n = outcomes.size();
        long correct = 0, slots = 0, executions = 0, steps = 0;
        double decodeMs = 0, prefillMs = 0;
        Map<Integer, long[]> levels = new TreeMap<>();
        for (Evaluator.Outcome o : outcomes) {
            if (o.correct()) correct++;
            slots += o.path().length;
            executions += o.layerExecutions();
            steps += o.decodeSteps();
            decodeMs += o.decodeMs();
            prefillMs += o.prefillMs();
            if (o.level() > 0) {
                long[] c = levels.computeIfAbsent(o.level(), k -> new long[2]);
                if (o.correct()) c[0]++;
                c[1]++;
            }
        }
        Map<Integer, double[]> by = new TreeMap<>();
        levels.forEach((k, c) -> by.put(k, new double[]{(double) c[0] / c[1], c[1]}));
        double d = Math.max(1, n);
        return new RunSummary(name, n, correct / d, by, slots / d, executions / d, decodeMs > 0 ? steps * 1000.0 / decodeMs : 0,
                prefillMs / d);
    }
}
