package dev.drllm.train;

import dev.drllm.eval.Evaluator;
import dev.drllm.eval.Question;
import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.routing.DecisionRule;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Prefill;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Post-hoc logit adjustment of trained routers, chosen on held-out validation questions (never the
 * test split): constant offsets added to the skip and repeat logits of every router. MCTS labels of
 * a small model are noisy (any path two layers shorter that stays correct ends the search, so the
 * skipped pair is often arbitrary), and routers trained on them can skip more eagerly than the
 * answers tolerate; an offset trades skips for accuracy without retraining.
 *
 * <p>The search answers the validation questions under each (skip, repeat) offset pair and keeps
 * the pair that maximises the worst per-task accuracy change against the full path, then the
 * total change, then the fewest layer executions. Offsets are baked into {@code linear2.bias}
 * (the bias is added after the window average, so this is exactly the decision bias of
 * {@code DecisionRule}). Answers are memoised by (question, path): offsets that route a question
 * the same way cost one prefill, not a generation.
 */
public final class OffsetCalibration {
    /** One offset pair's outcome per task (same order as the tasks given). */
    public record Candidate(float skip, float repeat, double[] accuracy, double[] layerExecutions, double worstDelta, double totalDelta,
                            double meanLayerExecutions) {}

    public record Result(Candidate chosen, List<Candidate> candidates, List<String> tasks, double[] baselineAccuracy,
                         double[] baselineLayerExecutions) {}

    private OffsetCalibration() {}

    public static Result search(Evaluator ev, PathExecutor executor, Routers routers, Map<String, List<Question>> tasks,
                                float[] skipOffsets, float[] repeatOffsets, Consumer<Candidate> onCandidate) {
        int L = routers.numLayers();
        List<String> names = new ArrayList<>(tasks.keySet());
        Map<String, Evaluator.Outcome> memo = new ConcurrentHashMap<>();
        Map<String, int[][]> prompts = new HashMap<>();
        for (String name : names) prompts.put(name, tasks.get(name).stream().map(ev::promptIds).toArray(int[][]::new));
        double[] baseAcc = new double[names.size()], baseLayers = new double[names.size()];
        LayerPath full = LayerPath.full(L);
        for (int t = 0; t < names.size(); t++) {
            List<Question> qs = tasks.get(names.get(t));
            int[][] ps = prompts.get(names.get(t));
            String name = names.get(t);
            for (Evaluator.Outcome o : parallel(qs.size(), i -> memoised(ev, memo, name, qs.get(i), ps[i], full))) {
                if (o.correct()) baseAcc[t]++;
                baseLayers[t] += o.layerExecutions();
            }
            baseAcc[t] /= qs.size();
            baseLayers[t] /= qs.size();
        }
        List<Candidate> all = new ArrayList<>();
        Candidate best = null;
        for (float s : skipOffsets) {
            for (float r : repeatOffsets) {
                RoutedPrefill routed = new RoutedPrefill(routers, DecisionRule.argmax().withBias(s, r));
                double[] acc = new double[names.size()], layers = new double[names.size()];
                double worst = Double.POSITIVE_INFINITY, total = 0, meanLayers = 0;
                for (int t = 0; t < names.size(); t++) {
                    List<Question> qs = tasks.get(names.get(t));
                    int[][] ps = prompts.get(names.get(t));
                    String name = names.get(t);
                    for (Evaluator.Outcome o : parallel(qs.size(),
                            i -> memoised(ev, memo, name, qs.get(i), ps[i], routedPath(executor, routed, ps[i], L)))) {
                        if (o.correct()) acc[t]++;
                        layers[t] += o.layerExecutions();
                    }
                    acc[t] /= qs.size();
                    layers[t] /= qs.size();
                    worst = Math.min(worst, acc[t] - baseAcc[t]);
                    total += acc[t] - baseAcc[t];
                    meanLayers += layers[t] / names.size();
                }
                Candidate c = new Candidate(s, r, acc, layers, worst, total, meanLayers);
                all.add(c);
                if (onCandidate != null) onCandidate.accept(c);
                if (best == null || better(c, best)) best = c;
            }
        }
        return new Result(best, all, names, baseAcc, baseLayers);
    }

    /** Worst-task change first, then the total change, then fewer layers (1e-9 absorbs float noise in the means). */
    static boolean better(Candidate a, Candidate b) {
        if (Math.abs(a.worstDelta() - b.worstDelta()) > 1e-9) return a.worstDelta() > b.worstDelta();
        if (Math.abs(a.totalDelta() - b.totalDelta()) > 1e-9) return a.totalDelta() > b.totalDelta();
        return a.meanLayerExecutions() < b.meanLayerExecutions() - 1e-9;
    }

    private static LayerPath routedPath(PathExecutor executor, RoutedPrefill routed, int[] prompt, int L) {
        try (KvCache cache = executor.backend().newCache(2 * L, prompt.length)) {
            return routed.run(executor, prompt, cache).path();
        }
    }

    private static Evaluator.Outcome memoised(Evaluator ev, Map<String, Evaluator.Outcome> memo, String task, Question q, int[] prompt,
                                              LayerPath path) {
        String key = task + "\u0000" + q.id() + "\u0000" + path;
        Evaluator.Outcome o = memo.get(key);
        if (o == null) {
            o = ev.answer(q, prompt, Prefill.fixed(path));
            memo.putIfAbsent(key, o);
        }
        return o;
    }

    /**
     * Questions are independent (own KV caches, read-only weights and routers), so they run on all
     * cores; results come back in question order, so the sums do not depend on scheduling.
     */
    private static List<Evaluator.Outcome> parallel(int n, IntFunction<Evaluator.Outcome> f) {
        return IntStream.range(0, n).parallel().mapToObj(f).toList();
    }

    /** The routers with {@code skip} and {@code repeat} added to every router's skip / repeat bias. */
    public static Routers bake(Routers routers, float skip, float repeat) {
        List<Router> out = new ArrayList<>();
        for (Router r : routers.all()) {
            float[] b2 = r.b2().clone();
            b2[Router.SKIP] += skip;
            b2[Router.REPEAT] += repeat;
            out.add(new Router(r.hiddenSize(), r.routerHidden(), r.w1(), r.b1(), r.w2(), b2));
        }
        return new Routers(out, routers.windows());
    }

    static Map<String, List<Question>> ordered(Map<String, List<Question>> m) {
        return new LinkedHashMap<>(m);
    }
}
