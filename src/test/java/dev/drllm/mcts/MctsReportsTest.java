package dev.drllm.mcts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.eval.Question;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class MctsReportsTest {
    @TempDir Path dir;

    private Path run(String name, List<Question> qs) {
        Path out = dir.resolve(name);
        try (MctsOutput o = MctsOutput.openForAppend(out, new ArrayList<>())) {
            AtomicInteger opened = new AtomicInteger();
            MctsJob.run(qs, MctsJobTest.settings(2), () -> MctsJobTest.worker(opened, Integer.MAX_VALUE), o, r -> {});
        }
        return out;
    }

    @Test
    void shardsMergeIntoTheWholeRun() throws IOException {
        List<Question> all = MctsJobTest.questions(17);
        List<MctsRecord> whole = MctsOutput.readAll(run("whole.jsonl", all), false);
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int s = i;
            shards.add(run("s" + i + ".jsonl", all.stream().filter(q -> q.index() % 3 == s).toList()));
        }
        // a shard killed mid-write still merges; an overlapping shard that agrees is deduplicated
        Files.writeString(shards.get(1), "{\"task\":\"da", StandardOpenOption.APPEND);
        shards.add(shards.get(0));
        List<MctsRecord> merged = MctsReports.merge(shards);
        assertEquals(MctsJobTest.canonical(whole), MctsJobTest.canonical(merged));
        for (int i = 0; i < merged.size(); i++) assertEquals(i, merged.get(i).index(), "sorted by index");
        Path out = dir.resolve("merged.jsonl");
        MctsReports.writeJsonl(merged, out);
        assertEquals(MctsJobTest.canonical(merged), MctsJobTest.canonical(MctsOutput.readAll(out, false)));
    }

    @Test
    void disagreeingShardsAreRefused() throws IOException {
        List<Question> all = MctsJobTest.questions(3);
        Path a = run("a.jsonl", all);
        List<String> lines = Files.readAllLines(a);
        String changed = lines.getFirst().replace("\"original_correct\":true", "\"original_correct\":X").replace("\"original_correct\":false", "\"original_correct\":true")
                .replace("\"original_correct\":X", "\"original_correct\":false");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(b, changed + "\n");
        assertThrows(IllegalArgumentException.class, () -> MctsReports.merge(List.of(a, b)));
    }

    @Test
    void recordsNameTheirModelAndOlderFilesStillRead() throws IOException {
        Path r = run("named.jsonl", MctsJobTest.questions(4));
        List<MctsRecord> rs = MctsOutput.readAll(r, false);
        assertEquals("test-model", MctsReports.modelName(rs));
        assertEquals("test-model", rs.getFirst().model());
        // a file from before records named their model: no "model" key, read as null
        Path old = dir.resolve("old.jsonl");
        List<String> lines = Files.readAllLines(r).stream().map(l -> l.replace("\"model\":\"test-model\",", "")).toList();
        assertFalse(lines.getFirst().contains("\"model\""), lines.getFirst());
        Files.write(old, lines);
        List<MctsRecord> olds = MctsOutput.readAll(old, false);
        assertNull(olds.getFirst().model());
        assertNull(MctsReports.modelName(olds));
        assertEquals(MctsJobTest.canonical(rs).size(), MctsJobTest.canonical(olds).size());
        // old and new lines together: the one name; two names: refused, naming both
        Path mixed = dir.resolve("mixed.jsonl");
        Files.write(mixed, List.of(lines.get(0), Files.readAllLines(r).get(1)));
        assertEquals("test-model", MctsReports.modelName(MctsOutput.readAll(mixed, false)));
        Path two = dir.resolve("two.jsonl");
        Files.write(two, List.of(Files.readAllLines(r).get(0), Files.readAllLines(r).get(1).replace("\"model\":\"test-model\"", "\"model\":\"other\"")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MctsReports.modelName(MctsOutput.readAll(two, false)));
        assertTrue(e.getMessage().contains("other") && e.getMessage().contains("test-model"), e.getMessage());
        // a non-string model is a typed fault naming the field
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, Files.readAllLines(r).get(0).replace("\"model\":\"test-model\"", "\"model\":7") + "\n");
        var fault = assertThrows(dev.drllm.util.DatasetException.class, () -> MctsOutput.readAll(bad, false));
        assertTrue(fault.getMessage().contains("model"), fault.getMessage());
    }

    @Test
    void summaryHasTheReferenceFields() {
        List<MctsRecord> rs = MctsOutput.readAll(run("r.jsonl", MctsJobTest.questions(20)), false);
        ObjectNode s = MctsReports.summary(MctsReports.merge(List.of(dir.resolve("r.jsonl"))), "stub", "dart", MctsConfig.paper());
        for (String f : List.of("original_accuracy", "mcts_accuracy", "improved_cases_accuracy", "average_path_length", "average_unique_layers",
                "num_simulations", "exploration_constant", "length_penalty", "random_prob", "max_path_length", "original_correct", "mcts_correct",
                "improved_cases", "path_lengths", "unique_layers", "best_path", "good_paths", "best_response", "questions")) {
            assertTrue(s.has(f), f);
        }
        long orig = rs.stream().filter(MctsRecord::originalCorrect).count();
        long fixes = rs.stream().filter(MctsRecord::fixed).count();
        assertEquals(100.0 * orig / 20, s.get("original_accuracy").asDouble(), 1e-9);
        assertEquals(100.0 * fixes / 20, s.get("improved_cases_accuracy").asDouble(), 1e-9);
        assertEquals(fixes, s.get("fixes").asLong());
        assertEquals(20, s.get("path_lengths").size());
        assertEquals(2 * MctsJobTest.L, s.get("max_path_length").asInt());
        double avg = 0;
        for (MctsRecord r : MctsReports.merge(List.of(dir.resolve("r.jsonl")))) avg += r.solved() ? r.bestPath().size() : r.numLayers();
        assertEquals(avg / 20, s.get("average_path_length").asDouble(), 1e-9);
    }
}
