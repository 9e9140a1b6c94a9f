package dev.drllm.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The configurations evaluated on one task file side by side: a Markdown table and a JSON file
 * (summaries plus every question's reply, correctness and executed path).
 */
public record EvalReport(String task, String model, String routers, String data, int numLayers,
                         Map<String, RunSummary> summaries, Map<String, List<Evaluator.Outcome>> outcomes,
                         Map<String, String> notes) {
    public EvalReport {
        summaries = new LinkedHashMap<>(summaries);
        outcomes = new LinkedHashMap<>(outcomes);
        notes = new LinkedHashMap<>(notes);
    }

    public String markdown() {
        TreeSet<Integer> levels = new TreeSet<>();
        summaries.values().forEach(s -> levels.addAll(s.byLevel().keySet()));
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(task).append(" (").append(summaries.values().stream().findFirst().map(RunSummary::questions).orElse(0))
                .append(" questions) | accuracy |");
        for (int lv : levels) sb.append(" L").append(lv).append(" |");
        sb.append(" avg path | layers / question | decode tok/s |\n|---|---|");
        sb.append("---|".repeat(levels.size())).append("---|---|---|\n");
        for (RunSummary s : summaries.values()) {
            sb.append("| ").append(s.name()).append(" | ").append(pct(s.accuracy())).append(" |");
            for (int lv : levels) {
                double[] a = s.byLevel().get(lv);
                sb.append(' ').append(a == null ? "–" : pct(a[0])).append(" |");
            }
            sb.append(String.format(Locale.ROOT, " %.2f | %.1f | %.0f |%n", s.avgPathLength(), s.avgLayerExecutions(), s.decodeTokensPerSecond()));
        }
        notes.forEach((k, v) -> sb.append("\n").append(k).append(": ").append(v));
        if (!notes.isEmpty()) sb.append("\n");
        return sb.toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    public ObjectNode json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("task", task);
        root.put("model", model);
        root.put("routers", routers);
        root.put("data", data);
        root.put("num_layers", numLayers);
        ObjectNode notesNode = root.putObject("notes");
        notes.forEach(notesNode::put);
        ObjectNode sums = root.putObject("summaries");
        for (RunSummary s : summaries.values()) {
            ObjectNode o = sums.putObject(s.name());
            o.put("questions", s.questions());
            o.put("accuracy", s.accuracy());
            ObjectNode lv = o.putObject("accuracy_by_level");
            s.byLevel().forEach((k, a) -> lv.put(Integer.toString(k), a[0]));
            o.put("avg_path_length", s.avgPathLength());
            o.put("avg_layer_executions_per_question", s.avgLayerExecutions());
            o.put("decode_tokens_per_second", s.decodeTokensPerSecond());
            o.put("avg_prefill_ms", s.avgPrefillMs());
        }
        ObjectNode per = root.putObject("questions");
        outcomes.forEach((name, list) -> {
            ArrayNode arr = per.putArray(name);
            for (Evaluator.Outcome q : list) {
                ObjectNode o = arr.addObject();
                o.put("index", q.index());
                o.put("id", q.id());
                if (q.level() > 0) o.put("level", q.level());
                o.put("correct", q.correct());
                o.put("reply", q.reply());
                ArrayNode p = o.putArray("path");
                for (int l : q.path()) p.add(l);
                o.put("layer_executions", q.layerExecutions());
                o.put("new_tokens", q.newTokens());
            }
        });
        return root;
    }

    /** Writes {@code <prefix>.md} and {@code <prefix>.json} in {@code dir}, each atomically. */
    public void write(Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(prefix + ".md"), markdown());
        AtomicFiles.writeString(dir.resolve(prefix + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json()) + "\n");
    }
}
