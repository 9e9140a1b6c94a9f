package dev.drllm.mcts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;
import dev.drllm.util.JsonFields;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One output line of {@code drllm mcts}: the question, the search outcome and the router labels
 * (per-layer run counts 0/1/2 of the best path; null when no path answered correctly, as the
 * reference drops such questions from its training data). {@code error} is set instead of a
 * result when the question could not be evaluated (e.g. its prompt exceeds the context).
 * {@code model} names the model searched ({@link dev.drllm.model.Model#name()}); null in files
 * written before records named it.
 */
public record MctsRecord(String task, String model, int index, String id, String question, String gold, int level, int numLayers,
                         boolean originalCorrect, List<Integer> bestPath, List<List<Integer>> goodPaths, int simulations,
                         int evaluations, long seed, int simulationBudget, String originalReply, String bestReply,
                         double seconds, String error) {

    public boolean solved() { return bestPath != null; }

    public boolean fixed() { return error == null && !originalCorrect && bestPath != null; }

    /** Per-layer run counts of the best path, or null. */
    public int[] labels() {
        if (bestPath == null) return null;
        int[] c = new int[numLayers];
        for (int l : bestPath) c[l]++;
        return c;
    }

    public int uniqueLayers() {
        int[] c = labels();
        int u = 0;
        if (c != null) for (int x : c) if (x > 0) u++;
        return u;
    }

    static List<Integer> list(LayerPath p) {
        if (p == null) return null;
        List<Integer> out = new ArrayList<>(p.length());
        for (int l : p.layers()) out.add(l);
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task", task);
        if (model != null) o.put("model", model);
        o.put("index", index);
        o.put("id", id);
        o.put("question", question);
        o.put("gold", gold);
        if (level != 0) o.put("level", level);
        o.put("num_layers", numLayers);
        if (error != null) {
            o.put("error", error);
        } else {
            o.put("original_correct", originalCorrect);
            o.put("mcts_correct", solved());
            o.put("fixed", fixed());
            if (bestPath == null) o.putNull("best_path");
            else ints(o.putArray("best_path"), bestPath);
            if (bestPath != null) {
                o.put("best_length", bestPath.size());
                o.put("unique_layers", uniqueLayers());
                ArrayNode lab = o.putArray("labels");
                for (int x : labels()) lab.add(x);
            } else {
                o.putNull("labels");
            }
            ArrayNode gp = o.putArray("good_paths");
            for (List<Integer> p : goodPaths) ints(gp.addArray(), p);
            o.put("original_reply", originalReply);
            o.put("best_reply", bestReply);
        }
        o.put("simulations", simulations);
        o.put("evaluations", evaluations);
        o.put("simulation_budget", simulationBudget);
        o.put("seed", seed);
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return o;
    }

    private static void ints(ArrayNode a, List<Integer> xs) {
        if (xs != null) for (int x : xs) a.add(x);
    }

    /** More layers than any decoder has; a larger count in a file is corruption. */
    static final int MAX_LAYERS = 4096;

    /** Parses and checks one line; every fault names the file and line. */
    public static MctsRecord fromJson(JsonNode o, Path file, long line) {
        JsonFields f = JsonFields.of(o, file, line);
        // the edit scan's header line: a user handing train-routers the scan instead of its labels
        // would otherwise read "missing field 'index'"
        if (f.has("format") && f.node().get("format").asText().startsWith("drllm-edit-scan")) {
            throw f.fault("an edit-scan file, not labels: make labels from it with drllm scan-labels");
        }
        String task = f.text("task");
        int index = f.nonNegativeInt("index");
        // bounded: path validation and labels allocate per layer, so a corrupted count must not
        // become an OutOfMemoryError (found by ParserFuzzTest#mctsResume)
        int L = f.intIn("num_layers", 1, MAX_LAYERS);
        String error = f.optText("error");
        boolean original = error == null && f.bool("original_correct");
        List<Integer> best = error == null && f.has("best_path") ? path(f, f.array("best_path"), L, "best_path") : null;
        List<List<Integer>> good = new ArrayList<>();
        if (error == null) {
            JsonNode gp = f.array("good_paths");
            for (int i = 0; i < gp.size(); i++) good.add(path(f, gp.get(i), L, "good_paths[" + i + "]"));
        }
        return new MctsRecord(task, f.optText("model"), index, f.textOrNumber("id"), f.optText("question"), f.optText("gold"),
                f.optNonNegativeInt("level", 0), L, original, best, good, f.optNonNegativeInt("simulations", 0),
                f.optNonNegativeInt("evaluations", 0), f.optLong("seed", 0), f.optNonNegativeInt("simulation_budget", 0),
                f.optText("original_reply"), f.optText("best_reply"), f.optFinite("seconds", 0), error);
    }

    private static List<Integer> path(JsonFields f, JsonNode a, int L, String field) {
        int[] p = f.ints(a, field);
        try {
            LayerPath.validate(L, p);
        } catch (RuntimeException e) {
            throw f.fault("'" + field + "': " + e.getMessage());
        }
        List<Integer> out = new ArrayList<>(p.length);
        for (int x : p) out.add(x);
        return out;
    }
}
