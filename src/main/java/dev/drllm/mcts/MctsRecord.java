package dev.drllm.mcts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.DatasetException;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One output line of {@code drllm mcts}: the question, the search outcome and the router labels
 * (per-layer run counts 0/1/2 of the best path; null when no path answered correctly, as the
 * reference drops such questions from its training data). {@code error} is set instead of a
 * result when the question could not be evaluated (e.g. its prompt exceeds the context).
 */
public record MctsRecord(String task, int index, String id, String question, String gold, int level, int numLayers,
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
        try {
            if (o == null || !o.isObject()) throw new IllegalArgumentException("expected a JSON object");
            // the edit scan's header line: a user handing train-routers the scan instead of its labels
            // would otherwise read "missing field 'index'"
            if (o.has("format") && o.get("format").asText().startsWith("drllm-edit-scan")) {
                throw new IllegalArgumentException("an edit-scan file, not labels: make labels from it with drllm scan-labels");
            }
            String task = req(o, "task").asText();
            int index = req(o, "index").asInt(-1);
            if (index < 0 || !o.get("index").isIntegralNumber()) throw new IllegalArgumentException("'index' must be a non-negative integer");
            JsonNode nl = req(o, "num_layers");
            int L = nl.isIntegralNumber() && nl.canConvertToInt() ? nl.asInt() : -1;
            // bounded: path validation and labels allocate per layer, so a corrupted count must not
            // become an OutOfMemoryError (found by ParserFuzzTest#mctsResume)
            if (L < 1 || L > MAX_LAYERS) throw new IllegalArgumentException("'num_layers' must be 1.." + MAX_LAYERS + ", found " + o.get("num_layers"));
            String error = o.hasNonNull("error") ? o.get("error").asText() : null;
            boolean original = error == null && req(o, "original_correct").asBoolean();
            List<Integer> best = error == null ? path(o.get("best_path"), L, "best_path") : null;
            List<List<Integer>> good = new ArrayList<>();
            if (error == null) {
                JsonNode gp = req(o, "good_paths");
                if (!gp.isArray()) throw new IllegalArgumentException("'good_paths' must be an array");
                for (int i = 0; i < gp.size(); i++) good.add(path(gp.get(i), L, "good_paths[" + i + "]"));
            }
            return new MctsRecord(task, index, req(o, "id").asText(), text(o, "question"), text(o, "gold"),
                    o.path("level").asInt(0), L, original, best, good, o.path("simulations").asInt(), o.path("evaluations").asInt(),
                    o.path("seed").asLong(), o.path("simulation_budget").asInt(), text(o, "original_reply"), text(o, "best_reply"),
                    o.path("seconds").asDouble(), error);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(file, line, e.getMessage());
        }
    }

    private static JsonNode req(JsonNode o, String f) {
        JsonNode v = o.get(f);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + f + "'");
        return v;
    }

    private static String text(JsonNode o, String f) {
        JsonNode v = o.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<Integer> path(JsonNode a, int L, String field) {
        if (a == null || a.isNull()) return null;
        if (!a.isArray()) throw new IllegalArgumentException("'" + field + "' must be an array of layer indices");
        int[] p = new int[a.size()];
        for (int i = 0; i < p.length; i++) {
            if (!a.get(i).isIntegralNumber()) throw new IllegalArgumentException("'" + field + "' must be an array of layer indices");
            p[i] = a.get(i).asInt();
        }
        try {
            LayerPath.validate(L, p);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + field + "': " + e.getMessage());
        }
        List<Integer> out = new ArrayList<>(p.length);
        for (int x : p) out.add(x);
        return out;
    }
}
