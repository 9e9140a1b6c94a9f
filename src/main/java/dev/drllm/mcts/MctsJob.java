package dev.drllm.mcts;

import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.ItemWorkers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs MCTS over many questions: questions already in the output file are skipped, the rest are
 * handed out in order to {@code threads} workers (each with its own backend, e.g. a one-thread CPU
 * backend, so examples rather than matmuls run in parallel), and each finished question is
 * appended to the file at once. Every question's search is seeded from (seed, question index), so
 * results do not depend on the thread count, the shard or whether the run was resumed.
 */
public final class MctsJob {
    /** One worker's access to the model; opened on the worker's thread, closed when it is done. */
    public interface Worker extends AutoCloseable {
        QuestionEvaluator open(Question q);

        @Override
        default void close() {}
    }

    /** {@code model}: the name each record carries ({@link dev.drllm.model.Model#name()}), null for none. */
    public record Settings(Task task, String model, int numLayers, MctsConfig config, long seed, int threads) {
        public Settings {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    private MctsJob() {}

    /** The search seed of a question: a fixed mix of the run seed and the question index. */
    public static long questionSeed(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The questions of {@code all} that {@code existing} does not cover yet; checks the existing lines belong to this run. */
    public static List<Question> pending(List<Question> all, List<MctsRecord> existing, Settings s, java.nio.file.Path out) {
        Map<Integer, Question> byIndex = new HashMap<>();
        for (Question q : all) byIndex.put(q.index(), q);
        java.util.Set<Integer> done = new java.util.HashSet<>();
        long line = 0;
        for (MctsRecord r : existing) {
            line++;
            String where = out + ": record " + line + " (index " + r.index() + ")";
            if (!r.task().equals(s.task().id())) throw new IllegalArgumentException(where + " is for task " + r.task() + ", this run is " + s.task().id());
            Question q = byIndex.get(r.index());
            if (q == null) throw new IllegalArgumentException(where + " is not among this run's questions (other data, --limit or --shard?)");
            if (!q.id().equals(r.id())) throw new IllegalArgumentException(where + " has id '" + r.id() + "' but the data has '" + q.id() + "' there");
            if (r.seed() != questionSeed(s.seed(), r.index()) || r.simulationBudget() != s.config().simulations() || r.numLayers() != s.numLayers()) {
                throw new IllegalArgumentException(where + " was made with another seed, simulation budget or model; use a new --out");
            }
            if (!done.add(r.index())) throw new IllegalArgumentException(where + " is a duplicate");
        }
        List<Question> todo = new ArrayList<>();
        for (Question q : all) if (!done.contains(q.index())) todo.add(q);
        return todo;
    }

    /** Searches one question with the given evaluator. */
    public static MctsRecord solve(Question q, QuestionEvaluator ev, Settings s) {
        long t0 = System.nanoTime();
        long seed = questionSeed(s.seed(), q.index());
        MctsResult r = new Mcts(s.config()).search(s.numLayers(), ev, seed);
        List<List<Integer>> good = new ArrayList<>();
        for (LayerPath p : r.goodPaths()) good.add(MctsRecord.list(p));
        return new MctsRecord(s.task().id(), s.model(), q.index(), q.id(), q.text(), q.gold(), q.level(), s.numLayers(), r.originalCorrect(),
                MctsRecord.list(r.best()), good, r.simulations(), r.evaluations(), seed, s.config().simulations(),
                ev.reply(LayerPath.full(s.numLayers())), r.best() == null ? null : ev.reply(r.best()),
                (System.nanoTime() - t0) / 1e9, null);
    }

    /**
     * Solves {@code todo} on {@code threads} workers, appending each record to {@code out} and
     * passing it to {@code onRecord} (progress). A question whose prompt does not fit the model is
     * recorded with an error instead; any other failure stops the run after the questions in
     * flight finish, and is rethrown.
     */
    public static void run(List<Question> todo, Settings s, Supplier<Worker> workers, MctsOutput out, Consumer<MctsRecord> onRecord) {
        run(todo, s, workers, out, onRecord, q -> ItemWorkers.Next.GO);
    }

    /**
     * As {@link #run(List, Settings, Supplier, MctsOutput, Consumer)}, with {@code gate} asked
     * before each question starts (stop, wait for the questions in flight, or go).
     */
    public static void run(List<Question> todo, Settings s, Supplier<Worker> workers, MctsOutput out, Consumer<MctsRecord> onRecord,
                           ItemWorkers.Gate<Question> gate) {
        ItemWorkers.run(todo, s.threads(), "mcts-worker", workers, (worker, q) -> {
            MctsRecord rec;
            try (QuestionEvaluator ev = worker.open(q)) {
                rec = solve(q, ev, s);
            } catch (ContextLengthException e) {
                rec = new MctsRecord(s.task().id(), s.model(), q.index(), q.id(), q.text(), q.gold(), q.level(), s.numLayers(), false,
                        null, List.of(), 0, 0, questionSeed(s.seed(), q.index()), s.config().simulations(), null, null, 0,
                        e.getMessage());
            }
            out.append(rec);
            onRecord.accept(rec);
        }, gate);
    }
}
