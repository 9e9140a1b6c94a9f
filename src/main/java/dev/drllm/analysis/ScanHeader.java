package dev.drllm.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.DatasetException;
import dev.drllm.runtime.LayerPath;
import dev.drllm.util.Json;
import dev.drllm.util.JsonFields;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first line of an edit-scan file: what every later line was computed with. A resumed run must
 * match it exactly — the correctness strings index into {@code candidates}, and features of another
 * model or layer would silently mix — so {@link #requireSameRun} refuses any difference.
 */
public record ScanHeader(String task, String model, String modelFingerprint, int numLayers, int hiddenSize, String promptStyle,
                         List<Integer> featureLayers, List<LayerPath> candidates) {
    public static final String FORMAT = "drllm-edit-scan/1";

    /** More layers than any decoder has; a larger count in a file is corruption (bounds the path checks). */
    static final int MAX_LAYERS = 4096;

    /** Candidate paths per layer a header may list (edit-scan writes 3). */
    static final int MAX_CANDIDATES_PER_LAYER = 4;

    public ScanHeader {
        featureLayers = List.copyOf(featureLayers);
        candidates = List.copyOf(candidates);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("task", task);
        o.put("model", model);
        o.put("model_fingerprint", modelFingerprint);
        o.put("num_layers", numLayers);
        o.put("hidden_size", hiddenSize);
        o.put("prompt_style", promptStyle);
        ArrayNode fl = o.putArray("feature_layers");
        for (int l : featureLayers) fl.add(l);
        ArrayNode cs = o.putArray("candidates");
        for (LayerPath p : candidates) {
            ArrayNode a = cs.addArray();
            for (int l : p.layers()) a.add(l);
        }
        return o;
    }

    /** Whether a line is a header line (has the format marker). */
    static boolean isHeader(JsonNode o) {
        return o != null && o.isObject() && o.has("format");
    }

    public static ScanHeader fromJson(JsonNode o, Path file, long line) {
        if (!isHeader(o)) throw new DatasetException(file, line, "not a drllm edit-scan file (its first line has no 'format' field)");
        JsonFields f = JsonFields.of(o, file, line);
        String format = f.textOrNumber("format");
        if (!FORMAT.equals(format)) throw f.fault("format '" + format + "' is not " + FORMAT);
        int L = f.intIn("num_layers", 1, MAX_LAYERS);
        int h = f.intIn("hidden_size", 1, 1 << 20);
        List<Integer> fl = new ArrayList<>();
        for (int x : f.ints(f.array("feature_layers"), "feature_layers")) {
            if (x < 0 || x >= L) throw f.fault("'feature_layers' entries must be layers 0.." + (L - 1) + ", found " + x);
            // edit-scan writes each layer once; a repeated one would be parsed (and analysed) again
            // per record, e.g. 100k copies times a 1M-float feature: minutes from one small header
            if (fl.contains(x)) throw f.fault("'feature_layers' lists layer " + x + " twice");
            fl.add(x);
        }
        JsonNode ca = f.array("candidates");
        if (ca.isEmpty()) throw f.fault("'candidates' must be a non-empty array of paths");
        // edit-scan writes 3L (the full path and its single edits); checking a path costs O(L), so an
        // unbounded count of 3-byte "[]" entries would cost ~L operations per byte of the file
        if (ca.size() > MAX_CANDIDATES_PER_LAYER * L) {
            throw f.fault("'candidates' holds " + ca.size() + " paths, more than " + MAX_CANDIDATES_PER_LAYER * L + " (4 per layer)");
        }
        List<LayerPath> cs = new ArrayList<>();
        for (int i = 0; i < ca.size(); i++) {
            JsonNode a = ca.get(i);
            if (!a.isArray() || a.size() > 2 * L) throw f.fault("'candidates[" + i + "]' must be a layer path of at most " + 2 * L + " entries");
            try {
                cs.add(LayerPath.of(L, f.ints(a, "candidates[" + i + "]")));
            } catch (IllegalArgumentException e) { // InvalidPathException
                throw f.fault(e.getMessage());
            }
        }
        // the reports and labels compare every candidate with candidate 0 as "the full path"
        if (!cs.getFirst().equals(LayerPath.full(L))) {
            throw f.fault("'candidates[0]' must be the full path 0.." + (L - 1) + ", found " + cs.getFirst());
        }
        return new ScanHeader(f.text("task"), f.text("model"), f.text("model_fingerprint"), L, h, f.text("prompt_style"), fl, cs);
    }

    /** Throws naming the first difference when {@code existing} (read from {@code file}) was made by another run than this one. */
    public void requireSameRun(ScanHeader existing, Path file) {
        String diff = null;
        if (!task.equals(existing.task)) diff = "task " + existing.task + " (this run: " + task + ")";
        else if (!modelFingerprint.equals(existing.modelFingerprint) || numLayers != existing.numLayers || hiddenSize != existing.hiddenSize) {
            diff = "another model (" + existing.model + ", fingerprint " + existing.modelFingerprint + "; this run: " + model + ", " + modelFingerprint + ")";
        } else if (!promptStyle.equals(existing.promptStyle)) diff = "prompt style " + existing.promptStyle + " (this run: " + promptStyle + ")";
        else if (!featureLayers.equals(existing.featureLayers)) diff = "feature layers " + existing.featureLayers + " (this run: " + featureLayers + ")";
        else if (!candidates.equals(existing.candidates)) {
            diff = existing.candidates.size() + " other candidate paths (this run: " + candidates.size() + ")";
        }
        if (diff != null) throw new IllegalArgumentException(file + " was made with " + diff + "; use a new --out or the same settings");
    }
}
