package dev.drllm.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.Json;
import dev.drllm.util.JsonFields;

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
        JsonFields f = JsonFields.of(o, file, line);
        String task = f.text("task");
        if (!task.equals(h.task())) throw f.fault("task '" + task + "' but the header says '" + h.task() + "'");
        int index = f.nonNegativeInt("index");
        String id = f.text("id");
        int level = f.optNonNegativeInt("level", 0);
        if (f.has("error")) return new ScanRecord(task, index, id, level, null, null, f.text("error"));
        String c = f.text("correct");
        if (c.length() != h.candidates().size() || !c.chars().allMatch(ch -> ch == '0' || ch == '1')) {
            throw f.fault("'correct' must be " + h.candidates().size() + " characters 0/1 (one per header candidate), found "
                    + c.length() + " characters");
        }
        JsonFields fo = f.object("features");
        Map<Integer, float[]> feats = new LinkedHashMap<>();
        for (int l : h.featureLayers()) {
            feats.put(l, fo.finiteFloats(fo.node().get(Integer.toString(l)), Integer.toString(l), h.hiddenSize()));
        }
        if (fo.node().size() != feats.size()) throw f.fault("'features' has layers the header does not list " + h.featureLayers());
        return new ScanRecord(task, index, id, level, c, feats, null);
    }
}
