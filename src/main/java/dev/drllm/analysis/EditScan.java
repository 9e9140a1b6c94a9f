package dev.drllm.analysis;

import dev.drllm.eval.Question;
import dev.drllm.mcts.Mcts;
import dev.drllm.mcts.ModelWorker;
import dev.drllm.mcts.QuestionEvaluator;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.util.ItemWorkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What single edits of the full path do, question by question: every candidate (the full path and
 * every path one MCTS action away from it, {@link Mcts#edits}) answered greedily on every question,
 * plus the prompt's mean hidden state entering chosen layers along the full path — the signal a
 * prefill router reads. {@link ScanReport} turns this into the accuracy any such router could gain.
 */
public final class EditScan {
    private EditScan() {}

    /** Scores one question; one per worker thread (each owns its single-threaded backend). */
    public interface Scanner extends AutoCloseable {
        ScanRecord scan(Question q);

        @Override
        default void close() {}
    }

    /** The full path first, then the MCTS root's children in {@link Mcts#edits} order. */
    public static List<LayerPath> candidates(int numLayers) {
        LayerPath full = LayerPath.full(numLayers);
        List<LayerPath> out = new ArrayList<>();
        out.add(full);
        out.addAll(Mcts.edits(full));
        return out;
    }

    /** "full", "skip 5", "skip 5-6", "repeat 7"; the path itself for anything else. */
    public static String describe(LayerPath p) {
        int[] c = p.counts();
        List<Integer> skipped = new ArrayList<>(), repeated = new ArrayList<>();
        for (int l = 0; l < c.length; l++) {
            if (c[l] == 0) skipped.add(l);
            if (c[l] == 2) repeated.add(l);
        }
        if (skipped.isEmpty() && repeated.isEmpty()) return "full";
        if (repeated.isEmpty() && skipped.size() == 1) return "skip " + skipped.getFirst();
        if (repeated.isEmpty() && skipped.size() == 2 && skipped.get(1) == skipped.get(0) + 1) return "skip " + skipped.get(0) + "-" + skipped.get(1);
        if (skipped.isEmpty() && repeated.size() == 1) return "repeat " + repeated.getFirst();
        return p.toString();
    }

    /**
     * Mean over the prompt's tokens of the hidden state entering each of {@code layers} along the
     * full path: one prefill, read at each slot by the executor's observer (slot = layer on the full path).
     */
    public static Map<Integer, float[]> featureMeans(Backend b, int[] prompt, List<Integer> layers) {
        int L = b.config().numLayers(), h = b.config().hiddenSize();
        Set<Integer> want = new HashSet<>(layers);
        Map<Integer, float[]> out = new LinkedHashMap<>();
        if (want.isEmpty()) return out;
        try (KvCache c = b.newCache(L, prompt.length)) {
            new PathExecutor(b).forward(prompt, LayerPath.full(L), c, true, (slot, layer, x) -> {
                if (!want.contains(layer)) return;
                float[] v = b.read(x);
                int t = v.length / h;
                double[] sum = new double[h];
                for (int i = 0; i < t; i++) for (int j = 0; j < h; j++) sum[j] += v[i * h + j];
                float[] mean = new float[h];
                for (int j = 0; j < h; j++) mean[j] = (float) (sum[j] / t);
                out.put(layer, mean);
            });
        }
        Map<Integer, float[]> ordered = new LinkedHashMap<>();
        for (int l : layers) ordered.put(l, out.get(l));
        return ordered;
    }

    /** The model-backed scanner: greedy answers with prefix reuse ({@link ModelWorker}), then one prefill for the features. */
    public static Scanner modelScanner(ScanHeader h, Backend backend, ModelWorker.Codec codec, Set<Integer> stops) {
        ModelWorker worker = new ModelWorker(backend, codec, stops, true, ModelWorker.DEFAULT_PREFIX_BUDGET);
        return new Scanner() {
            @Override
            public ScanRecord scan(Question q) {
                StringBuilder c = new StringBuilder(h.candidates().size());
                try (QuestionEvaluator ev = worker.open(q)) {
                    for (LayerPath p : h.candidates()) c.append(ev.correct(p) ? '1' : '0');
                } catch (ContextLengthException e) {
                    return new ScanRecord(h.task(), q.index(), q.id(), q.level(), null, null, e.getMessage());
                }
                return new ScanRecord(h.task(), q.index(), q.id(), q.level(), c.toString(),
                        featureMeans(backend, codec.prompt(q), h.featureLayers()), null);
            }

            @Override
            public void close() { worker.close(); }
        };
    }

    /** The questions of {@code all} that {@code existing} does not cover; checks every existing line belongs to these questions. */
    public static List<Question> pending(List<Question> all, List<ScanRecord> existing, Path out) {
        Map<Integer, Question> byIndex = new HashMap<>();
        for (Question q : all) byIndex.put(q.index(), q);
        Set<Integer> done = new HashSet<>();
        for (ScanRecord r : existing) {
            String where = out + ": question index " + r.index();
            Question q = byIndex.get(r.index());
            if (q == null) throw new IllegalArgumentException(where + " is not among this run's questions (other data or --limit?)");
            if (!q.id().equals(r.id())) throw new IllegalArgumentException(where + " has id '" + r.id() + "' but the data has '" + q.id() + "' there");
            if (!done.add(r.index())) throw new IllegalArgumentException(where + " appears twice");
        }
        List<Question> todo = new ArrayList<>();
        for (Question q : all) if (!done.contains(q.index())) todo.add(q);
        return todo;
    }

    /**
     * Scans {@code todo} on {@code threads} scanners, appending each record to {@code out} as it
     * finishes and passing it to {@code onRecord}; a failure stops the run after the questions in
     * flight and is rethrown.
     */
    public static void run(List<Question> todo, int threads, Supplier<Scanner> scanners, ScanFile out, Consumer<ScanRecord> onRecord) {
        ItemWorkers.run(todo, threads, "edit-scan-worker", scanners, (scanner, q) -> {
            ScanRecord r = scanner.scan(q);
            out.append(r);
            onRecord.accept(r);
        });
    }
}
