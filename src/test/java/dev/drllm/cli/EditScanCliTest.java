package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.analysis.EditScan;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.eval.Datasets;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.TokenizerCodec;
import dev.drllm.model.Model;
import dev.drllm.runtime.Hidden;
import dev.drllm.tokenizer.Tokenizer;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** `drllm edit-scan` and `edit-scan-report` on the tiny model: output, resume, refusal, report; user errors exit 2. */
class EditScanCliTest {
    @TempDir Path tmp;

    private static Path dartTrain() {
        return Fixtures.projectDir().resolve("data/tasks/dart-train.jsonl");
    }

    private static String[] scan(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("edit-scan", "--model", Fixtures.tinyModel().toString(), "--task", "dart",
                "--data", dartTrain().toString(), "--threads", "2", "--quiet", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(err, true), args);
    }

    @Test
    void scanResumeRefuseReport() throws Exception {
        Path out = tmp.resolve("scan.jsonl");
        assertEquals(0, Main.run(scan(out, "--limit", "2", "--feature-layer", "0", "--feature-layer", "10")));
        String first = Files.readString(out);
        assertEquals(0, Main.run(scan(out, "--limit", "3", "--feature-layer", "0", "--feature-layer", "10")));
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size(), "header + 3 questions");
        assertTrue(Files.readString(out).startsWith(first), "a resumed run only appends");
        JsonNode h = Json.MAPPER.readTree(lines.getFirst());
        assertEquals(48, h.get("candidates").size());
        assertEquals(16, h.get("candidates").get(0).size(), "the full path comes first");
        List<Question> qs = Datasets.load(dartTrain(), Task.DART);
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 1)) {
            TokenizerCodec codec = new TokenizerCodec(Tokenizer.load(Fixtures.tinyModel()), TokenizerCodec.style(Fixtures.tinyModel(), "auto"));
            for (String l : lines.subList(1, lines.size())) {
                JsonNode r = Json.MAPPER.readTree(l);
                Question q = qs.get(r.get("index").asInt());
                assertEquals(q.id(), r.get("id").asText());
                assertEquals(q.level(), r.get("level").asInt());
                assertTrue(r.get("correct").asText().matches("[01]{48}"), l);
                assertEquals(192, r.get("features").get("10").size());
                // layer 0's input is the embedding: its prompt mean, computed here without the executor
                int[] prompt = codec.prompt(q);
                float[] emb;
                try (Hidden x = b.embed(prompt)) {
                    emb = b.read(x);
                }
                for (int j = 0; j < 192; j++) {
                    double mean = 0;
                    for (int t = 0; t < prompt.length; t++) mean += emb[t * 192 + j];
                    mean /= prompt.length;
                    // float32 embeddings averaged in double and stored as float: a float rounding apart at most
                    assertEquals(mean, r.get("features").get("0").get(j).asDouble(), 1e-6 * (1 + Math.abs(mean)));
                }
                Map<Integer, float[]> f = EditScan.featureMeans(b, prompt, List.of(10));
                assertEquals(r.get("features").get("10").get(5).floatValue(), f.get(10)[5], "the features of one prefill are reproducible");
            }
        }

        StringWriter err = new StringWriter();
        assertEquals(2, run(err, scan(out, "--limit", "3", "--feature-layer", "6")));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("feature layers"), err.toString());
        assertEquals(4, Files.readAllLines(out).size(), "a refused run leaves the file as it was");

        Path json = tmp.resolve("report.json"), text = tmp.resolve("report.txt");
        assertEquals(0, Main.run("edit-scan-report", out.toString(), "--json", json.toString(), "--out", text.toString(), "--k", "1,2"));
        JsonNode rep = Json.MAPPER.readTree(json.toFile());
        assertEquals(3, rep.get("questions").asInt());
        assertEquals(48, rep.get("candidates").size());
        assertEquals(8, rep.get("knn").get("results").size(), "2 policies x 2 feature layers x 2 k");
        assertTrue(rep.get("oracle_accuracy").asDouble() >= rep.get("full_accuracy").asDouble());
        assertTrue(Files.readString(text).contains("oracle"));

        // consensus labels from the same scan, read back the way train-routers reads labels
        Path labels = tmp.resolve("labels/dart.jsonl");
        assertEquals(0, Main.run("scan-labels", out.toString(), "--out", labels.toString(), "--k", "2", "--hold-out-last", "1"));
        List<MctsRecord> rs = MctsOutput.readAll(labels, false);
        assertEquals(2, rs.size(), "3 scanned, the last held out");
        for (int i = 0; i < rs.size(); i++) {
            assertEquals(i, rs.get(i).index());
            assertTrue(rs.get(i).solved());
            assertEquals(16, rs.get(i).labels().length);
        }
        assertFalse(Files.exists(tmp.resolve("labels/dart.jsonl.tmp")));

        // bad settings on a real scan: one line naming the problem, exit 2, nothing written
        String[][] bad = {
                {"--feature-layer", "7"},             // not recorded by this scan
                {"--hold-out-last", "3"},             // nothing left to label
                {"--hold-out-last", "2"},             // one left: no neighbours
                {"--k", "0"},
                {"--min-agreement", "2"},
        };
        Path refused = tmp.resolve("labels/refused.jsonl");
        for (String[] extra : bad) {
            StringWriter e1 = new StringWriter();
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("scan-labels", out.toString(), "--out", refused.toString()),
                    java.util.Arrays.stream(extra)).toArray(String[]::new);
            assertEquals(2, run(e1, args), String.join(" ", extra) + "\n" + e1);
            assertEquals(1, e1.toString().strip().lines().count(), e1.toString());
            assertFalse(Files.exists(refused), String.join(" ", extra));
        }
        StringWriter e2 = new StringWriter();
        assertEquals(2, run(e2, "scan-labels", out.toString(), "--out", tmp.resolve("labels").toString()));
        assertTrue(e2.toString().contains("is a directory"), e2.toString());
        assertFalse(Files.exists(tmp.resolve("labels.tmp")), "no stray temporary file next to the directory");
    }

    @Test
    void userErrorsExitTwoWithOneLine() throws Exception {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"query\":\"q\"}\n");
        Path notScan = tmp.resolve("mcts.jsonl");
        Files.writeString(notScan, "{\"task\":\"dart\",\"index\":0}\n");
        String[][] cases = {
                scan(tmp.resolve("o1.jsonl"), "--feature-layer", "16"),
                scan(tmp.resolve("o2.jsonl"), "--limit", "0"),
                scan(tmp.resolve("o3.jsonl"), "--threads", "0"),
                {"edit-scan", "--model", Fixtures.tinyModel().toString(), "--task", "dart", "--data", bad.toString(), "--out", tmp.resolve("o4.jsonl").toString()},
                {"edit-scan", "--model", tmp.toString(), "--task", "dart", "--data", dartTrain().toString(), "--out", tmp.resolve("o5.jsonl").toString()},
                {"edit-scan-report", tmp.resolve("missing.jsonl").toString()},
                {"edit-scan-report", notScan.toString()},
                {"edit-scan-report", notScan.toString(), "--splits", "1"},
                {"scan-labels", notScan.toString(), "--out", tmp.resolve("l1.jsonl").toString()},
                {"scan-labels", tmp.resolve("missing.jsonl").toString(), "--out", tmp.resolve("l2.jsonl").toString()},
                {"scan-labels", notScan.toString(), "--out", tmp.resolve("l3.jsonl").toString(), "--k", "0"},
                {"scan-labels", notScan.toString(), "--out", tmp.toString()},
                {"edit-scan-report", notScan.toString(), "--out", tmp.toString()},
                {"edit-scan-report", notScan.toString(), "--json", tmp.toString()},
                scan(tmp, "--limit", "1"),
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            assertEquals(2, run(err, c), String.join(" ", c) + "\n" + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
        }
    }
}
