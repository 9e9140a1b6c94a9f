package dev.drllm.train;

import dev.drllm.util.DatasetException;
import dev.drllm.eval.Datasets;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * MCTS label files joined with the task files they were searched on. A label line names its
 * question by task and id; the prompt is rebuilt from the task file exactly as evaluation builds it,
 * so the routers are trained on the same tokens they will route. Lines without a correct path
 * (or with an error) carry no label and are left out, as the reference drops them.
 */
public final class LabelSet {
    /** What was read: the usable examples and how many lines were left out and why. */
    public record Loaded(List<LabelledPrompt> examples, int unsolved, int errors) {}

    private LabelSet() {}

    public static Loaded load(List<Path> labelFiles, List<Path> dataFiles, int numLayers, Function<Question, int[]> encoder) {
        Map<String, Question> questions = new HashMap<>();
        for (Path f : dataFiles) {
            for (Question q : loadAnyTask(f)) questions.put(q.task().id() + "\u0000" + q.id(), q);
        }
        // Kept in (task, question index) order whatever order the label lines came in (MCTS appends
        // questions as workers finish them): the held-out split and the feature cache key follow it.
        List<Object[]> keyed = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        int unsolved = 0, errors = 0;
        for (Path f : labelFiles) {
            List<MctsRecord> records = MctsOutput.readAll(f, false);
            for (int i = 0; i < records.size(); i++) {
                MctsRecord r = records.get(i);
                if (r.error() != null) {
                    errors++;
                    continue;
                }
                if (!r.solved()) {
                    unsolved++;
                    continue;
                }
                if (r.numLayers() != numLayers) {
                    throw new DatasetException(f, i + 1, "labels are for " + r.numLayers() + " layers, the model has " + numLayers);
                }
                String key = r.task() + "\u0000" + r.id();
                Path before = seen.putIfAbsent(key, f);
                if (before != null) throw new DatasetException(f, i + 1, "question " + r.task() + "/" + r.id() + " is labelled twice (also in " + before + ")");
                Question q = questions.get(key);
                if (q == null) {
                    throw new DatasetException(f, i + 1, "question " + r.task() + "/" + r.id() + " is in none of the task files " + dataFiles);
                }
                keyed.add(new Object[]{q, r.labels()});
            }
        }
        keyed.sort(java.util.Comparator.comparing((Object[] k) -> ((Question) k[0]).task().id()).thenComparingInt(k -> ((Question) k[0]).index()));
        List<LabelledPrompt> out = new ArrayList<>();
        for (Object[] k : keyed) {
            Question q = (Question) k[0];
            out.add(new LabelledPrompt(q.task().id() + "/" + q.id(), q.task().id(), encoder.apply(q), (int[]) k[1]));
        }
        return new Loaded(out, unsolved, errors);
    }

    /** A task file in either layout: ARC lines have {@code choices}, DART lines {@code query}. */
    public static List<Question> loadAnyTask(Path file) {
        try {
            return Datasets.load(file, Task.ARC);
        } catch (DatasetException arcFault) {
            try {
                return Datasets.load(file, Task.DART);
            } catch (DatasetException dartFault) {
                throw new DatasetException(file, dartFault.line(), "neither an ARC nor a DART task file (as ARC: "
                        + arcFault.getMessage() + "; as DART: " + dartFault.getMessage() + ")");
            }
        }
    }
}
