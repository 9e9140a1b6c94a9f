package dev.drllm.mcts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joining shard files and the reference's aggregate summary of a run. */
public final class MctsReports {
    private MctsReports() {}

    /**
     * Joins result files (shards, or a resumed file) into one list sorted by question index. The same
     * question in two files is kept once when both agree on it, and is an error when they disagree
     * on the outcome (files from different runs).
     */
    public static List<MctsRecord> merge(List<Path> files) {
        Map<Integer, MctsRecord> byIndex = new LinkedHashMap<>();
        Map<Integer, Path> from = new LinkedHashMap<>();
        String task = null;
        for (Path f : files) {
            for (MctsRecord r : MctsOutput.readAll(f, true)) {
                if (task == null) task = r.task();
                if (!task.equals(r.task())) throw new IllegalArgumentException(f + ": index " + r.index() + " is task " + r.task() + ", earlier files are " + task);
                MctsRecord old = byIndex.putIfAbsent(r.index(), r);
                if (old != null && !sameOutcome(old, r)) {
                    throw new IllegalArgumentException(f + ": question index " + r.index() + " disagrees with " + from.get(r.index()) + " (different runs?)");
                }
                from.putIfAbsent(r.index(), f);
            }
        }
        List<MctsRecord> out = new ArrayList<>(byIndex.values());
        out.sort(Comparator.comparingInt(MctsRecord::index));
        return out;
    }

    private static boolean sameOutcome(MctsRecord a, MctsRecord b) {
        return a.id().equals(b.id()) && a.seed() == b.seed() && a.originalCorrect() == b.originalCorrect()
                && java.util.Objects.equals(a.bestPath(), b.bestPath());
    }

    /**
     * The model the records name ({@link MctsRecord#model()}), null when none does (files written
     * before records named their model); records naming different models are an error.
     */
    public static String modelName(List<MctsRecord> records) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (MctsRecord r : records) if (r.model() != null) names.add(r.model());
        if (names.size() > 1) throw new IllegalArgumentException("the records name " + names.size() + " models " + names + "; name the one to report with --model-name");
        return names.isEmpty() ? null : names.getFirst();
    }

    /** Writes records as JSONL through a temporary file, so a crash never leaves a half-written result. */
    public static void writeJsonl(List<MctsRecord> records, Path out) {
        try {
            StringBuilder sb = new StringBuilder();
            for (MctsRecord r : records) sb.append(Json.MAPPER.writeValueAsString(r.toJson())).append('\n');
            AtomicFiles.writeString(out, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }

    /** Writes a JSON document (pretty-printed) atomically. */
    public static void writeJson(com.fasterxml.jackson.databind.JsonNode doc, Path out) {
        try {
            AtomicFiles.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The reference's aggregate JSON ({@code data_generation.py}): accuracies in percent, average
     * kept-path length and unique layers (the full path standing in for questions no path solved,
     * as the reference does), the search constants and the per-question lists. drllm adds counts
     * ({@code fixes}, {@code errors}) and {@code average_layers_saved} over solved questions.
     */
    public static ObjectNode summary(List<MctsRecord> records, String modelName, String dataset, MctsConfig config) {
        List<MctsRecord> ok = records.stream().filter(r -> r.error() == null).toList();
        int n = ok.size();
        int L = ok.isEmpty() ? 0 : ok.getFirst().numLayers();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("exp", "drllm-mcts");
        long orig = ok.stream().filter(MctsRecord::originalCorrect).count();
        long solved = ok.stream().filter(MctsRecord::solved).count();
        long fixes = ok.stream().filter(MctsRecord::fixed).count();
        o.put("original_accuracy", n == 0 ? 0 : 100.0 * orig / n);
        o.put("mcts_accuracy", n == 0 ? 0 : 100.0 * solved / n);
        o.put("improved_cases_accuracy", n == 0 ? 0 : 100.0 * fixes / n);
        o.put("average_path_length", ok.stream().mapToInt(r -> r.solved() ? r.bestPath().size() : r.numLayers()).average().orElse(0));
        o.put("average_unique_layers", ok.stream().mapToInt(r -> r.solved() ? r.uniqueLayers() : r.numLayers()).average().orElse(0));
        o.put("average_layers_saved", ok.stream().filter(MctsRecord::solved).mapToInt(r -> r.numLayers() - r.bestPath().size()).average().orElse(0));
        o.put("fixes", fixes);
        o.put("errors", records.size() - n);
        o.put("num_simulations", config.simulations());
        o.put("exploration_constant", config.exploration());
        o.put("length_penalty", config.lengthPenalty());
        o.put("random_prob", config.randomPick());
        o.put("max_path_length", 2 * L);
        o.put("num_layers", L);
        o.put("num_samples", n);
        o.put("timestamp", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        o.put("model_name", modelName);
        o.put("dataset", dataset);
        o.put("visited_samples", records.size());
        o.putArray("skip_size").add(1).add(2);
        o.putArray("repeat_size").add(1);
        o.putArray("repeat_count").add(1);
        ArrayNode oc = o.putArray("original_correct"), mc = o.putArray("mcts_correct"), ic = o.putArray("improved_cases"),
                pl = o.putArray("path_lengths"), ul = o.putArray("unique_layers"), bp = o.putArray("best_path"),
                gp = o.putArray("good_paths"), br = o.putArray("best_response"), qs = o.putArray("questions");
        for (MctsRecord r : ok) {
            oc.add(r.originalCorrect() ? 1 : 0);
            mc.add(r.solved() ? 1 : 0);
            ic.add(r.fixed());
            pl.add(r.solved() ? r.bestPath().size() : r.numLayers());
            ul.add(r.solved() ? r.uniqueLayers() : r.numLayers());
            ArrayNode b = bp.addArray();
            if (r.solved()) r.bestPath().forEach(b::add);
            else for (int l = 0; l < r.numLayers(); l++) b.add(l);
            ArrayNode g = gp.addArray();
            for (List<Integer> p : r.goodPaths()) p.forEach(g.addArray()::add);
            br.add(r.gold());
            qs.add(r.question());
        }
        return o;
    }
}
