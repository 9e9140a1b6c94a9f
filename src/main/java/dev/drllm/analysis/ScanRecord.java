package dev.drllm.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.DatasetException;
import dev.drllm.util.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One question of an edit scan: {@code correct} holds '1' or '0' per header candidate (the greedy
 * answer along that path is right or wrong), {@code features} the mean over prompt tokens of the
 * hidden state entering each feature layer along the full path. {@code error} is set instead when
 * the question could not be evaluated (its prompt exceeds the context).
 */
public record ScanRecord(String task, int index, String id, int level, String correct, Map<Integer, float[]> features, String error) {
    public ScanRecord {
        features = features == null ? Map.of() : Map.copyOf(features);
    }

    public boolean ok() { return error == null; }

    public boolean correct(int candidate) { return correct.charAt(candidate) == '1'; }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task", task);
        o.put("index", index);
        o.put("id", id);
        if (level != 0) o.put("level", level);
        if (error != null) {
            o.put("error", error);
            return o;
        }
        o.put("correct", correct);
        ObjectNode f = o.putObject("features");
        for (int l : features.keySet().stream().sorted().toList()) {
            ArrayNode a = f.putArray(Integer.toString(l));
            for (float x : features.get(l)) a.add(x);
        }
        return o;
    }

    /** Parses one line and checks it against the file's header; every fault names the file and line. */
    public static ScanRecord fromJson(JsonNode o, ScanHeader h, Path file, long line) {
        try {
            if (o == null || !o.isObject()) throw new IllegalArgumentException("expected a JSON object");
            String task = text(o, "task");
            if (!task.equals(h.task())) throw new IllegalArgumentException("task '" + task + "' but the header says '" + h.task() + "'");
            JsonNode ix = o.get("index");
            if (ix == null || !ix.isIntegralNumber() || !ix.canConvertToInt() || ix.asInt() < 0) {
                throw new IllegalArgumentException("'index' must be a non-negative integer");
            }
            String id = text(o, "id");
            JsonNode lv = o.get("level");
            if (lv != null && !lv.isNull() && !(lv.isIntegralNumber() && lv.canConvertToInt() && lv.asInt() >= 0)) {
                throw new IllegalArgumentException("'level' must be a non-negative integer, found " + lv);
            }
            int level = lv == null || lv.isNull() ? 0 : lv.asInt();
            if (o.hasNonNull("error")) return new ScanRecord(task, ix.asInt(), id, level, null, null, o.get("error").asText());
            String c = text(o, "correct");
            if (c.length() != h.candidates().size() || !c.chars().allMatch(ch -> ch == '0' || ch == '1')) {
                throw new IllegalArgumentException("'correct' must be " + h.candidates().size() + " characters 0/1 (one per header candidate), found "
                        + c.length() + " characters");
            }
            JsonNode fo = o.get("features");
            if (fo == null || !fo.isObject()) throw new IllegalArgumentException("missing object 'features'");
            Map<Integer, float[]> feats = new LinkedHashMap<>();
            for (int l : h.featureLayers()) {
                JsonNode a = fo.get(Integer.toString(l));
                if (a == null || !a.isArray() || a.size() != h.hiddenSize()) {
                    throw new IllegalArgumentException("'features." + l + "' must be an array of " + h.hiddenSize() + " numbers");
                }
                float[] v = new float[a.size()];
                for (int i = 0; i < v.length; i++) {
                    JsonNode x = a.get(i);
                    if (!x.isNumber() || !Float.isFinite(x.floatValue())) throw new IllegalArgumentException("'features." + l + "[" + i + "]' is not a finite number");
                    v[i] = x.floatValue();
                }
                feats.put(l, v);
            }
            if (fo.size() != feats.size()) throw new IllegalArgumentException("'features' has layers the header does not list " + h.featureLayers());
            return new ScanRecord(task, ix.asInt(), id, level, c, feats, null);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(file, line, e.getMessage());
        }
    }

    private static String text(JsonNode o, String f) {
        JsonNode v = o.get(f);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + f + "'");
        return v.asText();
    }
}
