package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.model.ModelConfig;
import dev.drllm.routing.Routers;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train-routers → eval → demo on the tiny model with a small hand-made label file. */
class TrainEvalCliTest {
    @TempDir Path tmp;

    /** MCTS-format lines for the first questions of both train splits; every third one skips layer 9. */
    Path labels() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String task : new String[]{"arc", "dart"}) {
            for (int i = 0; i < 12; i++) {
                List<Integer> path = new ArrayList<>();
                for (int l = 0; l < 16; l++) {
                    if (i % 3 == 0 && l == 9) continue;
                    path.add(l);
                    if (i % 5 == 1 && l == 4) path.add(l);
                }
                var o = Json.MAPPER.createObjectNode();
                o.put("task", task).put("index", i).put("id", "train-" + task + "-" + i).put("num_layers", 16).put("original_correct", true);
                path.forEach(o.putArray("best_path")::add);
                o.putArray("good_paths");
                lines.add(Json.MAPPER.writeValueAsString(o));
            }
        }
        // One question without a correct path: left out, not an error.
        lines.add("{\"task\":\"dart\",\"index\":99,\"id\":\"train-dart-99\",\"num_layers\":16,\"original_correct\":false,\"best_path\":null,\"good_paths\":[]}");
        Path f = tmp.resolve("labels.jsonl");
        Files.write(f, lines);
        return f;
    }

    @Test
    void trainThenEvalThenDemo() throws Exception {
        Path project = Fixtures.projectDir();
        Path model = Fixtures.tinyModel();
        Path out = tmp.resolve("routers.safetensors");
        String data = project.resolve("data/tasks/arc-train.jsonl") + "," + project.resolve("data/tasks/dart-train.jsonl");
        assertEquals(0, Main.run("train-routers", "--model", model.toString(), "--labels", labels().toString(), "--data", data,
                "--out", out.toString(), "--epochs", "2", "--warmup", "2", "--held-out", "0.25", "--cache-dir", tmp.resolve("cache").toString()));
        Routers r = Routers.load(out, ModelConfig.load(model.resolve("config.json")));
        assertEquals(16, r.numLayers());
        JsonNode rep = Json.MAPPER.readTree(tmp.resolve("routers-training.json").toFile());
        assertEquals(24, rep.get("questions").asInt());
        assertEquals(6, rep.get("held_out_questions").asInt());
        assertEquals(2, rep.get("epochs").size());
        try (var cached = Files.list(tmp.resolve("cache"))) {
            assertEquals(1, cached.filter(p -> p.getFileName().toString().startsWith("features-")).count());
        }
        // A second run reuses the cached features and, with the same seed, writes the same routers.
        byte[] first = Files.readAllBytes(out);
        assertEquals(0, Main.run("train-routers", "--model", model.toString(), "--labels", labels().toString(), "--data", data,
                "--out", out.toString(), "--epochs", "2", "--warmup", "2", "--held-out", "0.25", "--cache-dir", tmp.resolve("cache").toString()));
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(out)));

        // Calibration on the last 3 questions of each file (held out of training), a 2×1 offset grid.
        Path cal = tmp.resolve("cal.safetensors");
        assertEquals(0, Main.run("train-routers", "--model", model.toString(), "--labels", labels().toString(), "--data", data,
                "--out", cal.toString(), "--epochs", "1", "--warmup", "1", "--cache-dir", tmp.resolve("cache").toString(),
                "--calibrate-last", "997", "--calibrate-limit", "3", "--skip-offsets=0,-2", "--repeat-offsets=0"));
        JsonNode calRep = Json.MAPPER.readTree(tmp.resolve("cal-training.json").toFile());
        assertEquals(2, calRep.get("calibration").get("candidates").size());
        // Questions 3.. of each split are the calibration pool, so only 0..2 of the 12 labelled per task train.
        assertEquals(6, calRep.get("questions").asInt());

        Path evalDir = tmp.resolve("eval");
        assertEquals(0, Main.run("eval", "--model", model.toString(), "--routers", out.toString(), "--task", "dart",
                "--data", project.resolve("data/tasks/dart-test.jsonl").toString(), "--limit", "4", "--out-dir", evalDir.toString(), "--quiet"));
        JsonNode ev = Json.MAPPER.readTree(evalDir.resolve("dart-test.json").toFile());
        assertTrue(ev.get("summaries").has("baseline") && ev.get("summaries").has("routed"));
        assertEquals(4, ev.get("summaries").get("routed").get("questions").asInt());
        assertTrue(Files.isRegularFile(evalDir.resolve("dart-test.md")));
        assertTrue(Files.isRegularFile(evalDir.resolve("dart-test-accuracy-vs-layers.png")));
        assertTrue(Files.isRegularFile(evalDir.resolve("dart-test-decisions.png")));

        assertEquals(0, Main.run("demo", "--model", model.toString(), "--routers", out.toString(),
                "--data-dir", project.resolve("data/tasks").toString(), "--questions", "1", "--summary-limit", "2"));
    }

    @Test
    void badInputsAreUserErrors() throws Exception {
        Path project = Fixtures.projectDir();
        Path model = Fixtures.tinyModel();
        String arcOnly = project.resolve("data/tasks/arc-train.jsonl").toString();
        // Labels for DART questions with only the ARC file given: the label file and question are named.
        assertEquals(2, Main.run("train-routers", "--model", model.toString(), "--labels", labels().toString(), "--data", arcOnly,
                "--out", tmp.resolve("r.safetensors").toString(), "--epochs", "1"));
        Path garbage = tmp.resolve("garbage.jsonl");
        Files.writeString(garbage, "{not json\n");
        assertEquals(2, Main.run("train-routers", "--model", model.toString(), "--labels", garbage.toString(), "--data", arcOnly,
                "--out", tmp.resolve("r.safetensors").toString()));
        assertEquals(2, Main.run("train-routers", "--model", model.toString(), "--labels", labels().toString(), "--data", arcOnly,
                "--out", tmp.resolve("r.safetensors").toString(), "--epochs", "0"));
        // an edit scan given where its labels belong: the message says which command makes labels
        Path scan = tmp.resolve("scan.jsonl");
        Files.writeString(scan, "{\"format\":\"drllm-edit-scan/1\",\"task\":\"arc\"}\n");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, Main.run(new java.io.PrintWriter(err, true), "train-routers", "--model", model.toString(), "--labels", scan.toString(),
                "--data", arcOnly, "--out", tmp.resolve("r.safetensors").toString()));
        assertTrue(err.toString().contains("scan-labels"), err.toString());
        assertEquals(2, Main.run("eval", "--model", model.toString(), "--routers", tmp.resolve("missing.safetensors").toString(),
                "--task", "arc", "--data", arcOnly, "--limit", "1"));
        assertEquals(2, Main.run("eval", "--model", model.toString(), "--task", "chess", "--data", arcOnly));
        assertEquals(2, Main.run("demo", "--model", model.toString(), "--routers", tmp.resolve("missing.safetensors").toString()));
    }
}
