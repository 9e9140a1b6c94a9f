package dev.drllm.eval;

import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.Routers;
import dev.drllm.routing.DecisionRule;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import dev.drllm.util.DatasetException;
import dev.drllm.util.ItemWorkers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The side-by-side evaluation of {@code drllm eval} and {@code drllm demo}: baseline (every layer
 * once), routed (when there are routers), then the static skip-N baseline, whose layers come from
 * the routed answers, so it runs last. With an {@link EvalProgress} file every answer is appended as
 * it is made and the answers already there are not recomputed, so an interrupted run resumes.
 */
public final class EvalJob {
    /** The stderr display of one configuration's progress. */
    @FunctionalInterface
    public interface Progress {
        /** {@code configuration} starts with {@code done} of its {@code total} answers already made (an earlier run's). */
        Step begin(String configuration, int total, List<Evaluator.Outcome> done);
    }

    /** Told of each answer of one configuration; closed when the configuration is complete or fails. */
    public interface Step extends AutoCloseable {
        void answered(Evaluator.Outcome o);

        @Override
        default void close() {}
    }

    /**
     * What the routed and static configurations run: {@code routers} null for baseline only;
     * {@code skipN} / {@code skipLayers} null for the defaults (see {@link StaticSkip}).
     */
    public record Settings(Task task, int numLayers, Routers routers, String routersName, float skipBias, float repeatBias,
                           Integer skipN, int[] skipLayers) {}

    private final Evaluator ev;
    private final Settings s;
    private final List<Question> questions;
    private final EvalProgress file;
    private final Progress progress;
    /** One shard of a run: the static baseline runs only when its layers are given, since it is otherwise chosen from every shard's routed answers. */
    private final boolean shard;
    private boolean warmedUp;

    private EvalJob(Evaluator ev, Settings s, List<Question> questions, EvalProgress file, Progress progress, boolean shard) {
        this.ev = ev;
        this.s = s;
        this.questions = questions;
        this.file = file;
        this.progress = progress;
        this.shard = shard;
    }

    /**
     * Evaluates every configuration on {@code questions}. {@code file} (nullable) holds earlier
     * answers and receives the new ones; {@code progress} (nullable) shows them.
     */
    public static EvalReport run(Evaluator ev, Settings s, List<Question> questions, String modelName, String dataName,
                                 EvalProgress file, Progress progress) {
        return new EvalJob(ev, s, questions, file, progress, false).run(modelName, dataName);
    }

    /**
     * Answers one shard's {@code questions} into {@code file}: baseline, routed, and the static
     * baseline when {@code skipLayers} fixes its layers. Otherwise its layers come from the routed
     * answers of every shard, so the merge ({@code drllm eval-merge}) runs it once they are joined.
     * Returns the configurations answered.
     */
    public static List<String> answerShard(Evaluator ev, Settings s, List<Question> questions, EvalProgress file, Progress progress) {
        EvalReport partial = new EvalJob(ev, s, questions, file, progress, true).run("", "");
        return List.copyOf(partial.summaries().keySet());
    }

    /** The name of the static configuration when its layers are {@code skip}. */
    public static String staticName(int[] skip) {
        return skip != null && skip.length > 0 ? "static skip-" + skip.length : null;
    }

    private EvalReport run(String modelName, String dataName) {
        int L = s.numLayers();
        Map<String, RunSummary> sums = new LinkedHashMap<>();
        Map<String, List<Evaluator.Outcome>> outs = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        configuration("baseline", Prefill.fixed(LayerPath.full(L)), sums, outs);
        List<Evaluator.Outcome> routed = null;
        if (s.routers() != null) {
            DecisionRule policy = DecisionRule.argmax().withBias(s.skipBias(), s.repeatBias());
            routed = configuration("routed", new RoutedPrefill(s.routers(), policy), sums, outs);
            if (s.skipBias() != 0 || s.repeatBias() != 0) notes.put("routed", "route bias skip=" + s.skipBias() + ", repeat=" + s.repeatBias());
        }
        int[] skip = s.skipLayers();
        if (skip == null && routed != null && !shard) {
            int n = s.skipN() != null ? s.skipN() : StaticSkip.defaultCount(L, routed);
            if (n < 1 || n >= L) throw new IllegalArgumentException("--skip-n must be in 1.." + (L - 1) + ", got " + n);
            skip = StaticSkip.mostSkippable(L, routed, n);
        }
        String staticName = staticName(skip);
        if (file != null) {
            // every answer in the file must belong to a configuration of this run: one that does not
            // would mean its static layers were chosen from other routed answers
            Set<String> known = new LinkedHashSet<>(outs.keySet());
            if (staticName != null) known.add(staticName);
            for (String c : file.configurations()) {
                if (!known.contains(c)) {
                    throw new DatasetException(file.file(), 0, "holds answers of '" + c + "', which this run does not evaluate (it runs " + known + ")");
                }
            }
        }
        if (staticName != null) {
            configuration(staticName, Prefill.fixed(StaticSkip.path(L, skip)), sums, outs);
            notes.put(staticName, (skip.length == 1 ? "skips layer " : "skips layers ") + Arrays.stream(skip).mapToObj(Integer::toString).collect(Collectors.joining(","))
                    + (s.skipLayers() != null ? " (given)" : " (the routers' most skippable layers on these questions, same for every question)"));
        }
        return new EvalReport(s.task().id(), modelName, s.routers() == null ? null : s.routersName(), dataName, L, sums, outs, notes);
    }

    /** Answers the questions {@code name} has no answer for yet, then summarises all of them in question order. */
    private List<Evaluator.Outcome> configuration(String name, Prefill prefill, Map<String, RunSummary> sums,
                                                  Map<String, List<Evaluator.Outcome>> outs) {
        Map<Integer, Evaluator.Outcome> answers = new ConcurrentHashMap<>(file == null ? Map.of() : file.done(name));
        List<Evaluator.Outcome> earlier = new ArrayList<>();
        List<Question> todo = new ArrayList<>();
        for (Question q : questions) {
            Evaluator.Outcome o = answers.get(q.index());
            if (o != null) earlier.add(o);
            else todo.add(q);
        }
        if (!todo.isEmpty()) warmUp();
        try (Step step = progress == null ? null : progress.begin(name, questions.size(), earlier)) {
            // one worker: the backend already spreads each matmul over every core
            ItemWorkers.run(todo, 1, "eval-worker", () -> () -> {}, (unused, q) -> {
                Evaluator.Outcome o = ev.answer(q, prefill);
                if (file != null) file.append(name, o);
                answers.put(q.index(), o);
                if (step != null) step.answered(o);
            });
        }
        List<Evaluator.Outcome> list = questions.stream().map(q -> answers.get(q.index())).toList();
        sums.put(name, RunSummary.of(name, list));
        outs.put(name, list);
        return list;
    }

    /**
     * Unmeasured warm-up before this process's first measured answer: the JIT compiles the kernels
     * during the first questions, which would otherwise make whichever configuration runs first
     * (or the one a resumed run continues) look slower in tokens/s.
     */
    private void warmUp() {
        if (warmedUp) return;
        warmedUp = true;
        for (Question q : questions.subList(0, Math.min(3, questions.size()))) ev.answer(q, Prefill.fixed(LayerPath.full(s.numLayers())));
    }
}
