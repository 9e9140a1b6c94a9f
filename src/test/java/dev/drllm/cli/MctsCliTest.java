package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `drllm mcts` on the tiny model: resumes by extending, shards merge, summary; user errors exit 2. */
class MctsCliTest {
    @TempDir Path tmp;

    private static String[] mcts(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("mcts", "--model", Fixtures.tinyModel().toString(), "--task", "arc",
                "--data", Fixtures.projectDir().resolve("data/tasks/arc-train.jsonl").toString(), "--threads", "2", "--quiet",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void runResumeShardMergeSummary() throws Exception {
        Path out = tmp.resolve("arc.jsonl");
        assertEquals(0, Main.run(mcts(out, "--limit", "3")));
        assertEquals(3, Files.readAllLines(out).size());
        String first = Files.readString(out);
        assertEquals(0, Main.run(mcts(out, "--limit", "5")));
        List<String> lines = Files.readAllLines(out);
        assertEquals(5, lines.size());
        assertTrue(Files.readString(out).startsWith(first), "a resumed run only appends");
        for (String l : lines) {
            JsonNode j = Json.MAPPER.readTree(l);
            assertEquals("arc", j.get("task").asText());
            assertTrue(j.get("original_correct").isBoolean());
            assertTrue(j.has("labels") && j.has("best_path") && j.has("good_paths") && j.has("simulations") && j.has("seconds"));
            if (!j.get("labels").isNull()) assertEquals(16, j.get("labels").size());
        }
        Path s0 = tmp.resolve("s0.jsonl"), s1 = tmp.resolve("s1.jsonl"), merged = tmp.resolve("m.jsonl");
        assertEquals(0, Main.run(mcts(s0, "--limit", "5", "--shard", "0/2")));
        assertEquals(0, Main.run(mcts(s1, "--limit", "5", "--shard", "1/2")));
        assertEquals(3, Files.readAllLines(s0).size());
        assertEquals(0, Main.run("mcts-merge", "--out", merged.toString(), s0.toString(), s1.toString()));
        List<String> m = Files.readAllLines(merged);
        assertEquals(5, m.size());
        for (int i = 0; i < 5; i++) {
            JsonNode a = Json.MAPPER.readTree(m.get(i));
            assertEquals(i, a.get("index").asInt());
            JsonNode b = lines.stream().map(MctsCliTest::json).filter(x -> x.get("index").asInt() == a.get("index").asInt()).findFirst().orElseThrow();
            assertEquals(b.get("best_path"), a.get("best_path"), "sharding does not change a question's search");
        }
        Path sum = tmp.resolve("summary.json");
        assertEquals(0, Main.run("mcts-summary", "--out", sum.toString(), merged.toString()));
        JsonNode s = Json.MAPPER.readTree(sum.toFile());
        assertEquals(5, s.get("num_samples").asInt());
        assertEquals("drllm-tiny", s.get("model_name").asText(), "the records name their model");
        assertTrue(s.get("average_path_length").asDouble() <= 16);
    }

    @Test
    void curationStopsAtTheQuotaResumesAndReportsAShortfall() throws Exception {
        Path out = tmp.resolve("cur.jsonl");
        assertEquals(0, Main.run(mcts(out, "--quota", "3", "--fix-share", "0")));
        int searched = Files.readAllLines(out).size();
        assertTrue(searched >= 3 && searched <= 5, "stops once 3 are kept (2 threads may finish one in flight): " + searched);
        Path curated = tmp.resolve("cur-curated.jsonl");
        assertEquals(3, Files.readAllLines(curated).size());
        JsonNode sum = Json.MAPPER.readTree(tmp.resolve("cur-curated.json").toFile());
        assertTrue(sum.get("complete").asBoolean(), sum.toString());
        assertEquals(3, sum.get("kept").asInt());
        assertEquals(3, sum.get("quota").asInt());
        assertTrue(sum.get("inferences").asLong() >= 3);
        // complete: a rerun searches nothing more
        assertEquals(0, Main.run(mcts(out, "--quota", "3", "--fix-share", "0")));
        assertEquals(searched, Files.readAllLines(out).size());
        // a larger quota resumes the same search; a budget cuts it short and the summary says so
        assertEquals(0, Main.run(mcts(out, "--quota", "50", "--max-searched", "6", "--curated-out", tmp.resolve("c50.jsonl").toString())));
        assertEquals(6, Files.readAllLines(out).size());
        JsonNode s50 = Json.MAPPER.readTree(tmp.resolve("c50.json").toFile());
        assertFalse(s50.get("complete").asBoolean());
        assertTrue(s50.get("summary").asText().contains("INCOMPLETE") && s50.get("summary").asText().contains("--max-searched 6"), s50.toString());
        // mcts-curate gives the same curated set from the searched file
        Path again = tmp.resolve("again.jsonl");
        assertEquals(0, Main.run("mcts-curate", "--quota", "3", "--fix-share", "0", "--out", again.toString(), out.toString()));
        assertEquals(Files.readAllLines(curated), Files.readAllLines(again));
        // --label-all keeps every solved question
        Path all = tmp.resolve("all.jsonl");
        assertEquals(0, Main.run("mcts-curate", "--label-all", "--out", all.toString(), out.toString()));
        long solved = Files.readAllLines(out).stream().filter(l -> !json(l).get("best_path").isNull()).count();
        assertEquals(solved, Files.readAllLines(all).size());
    }

    private static JsonNode json(String l) {
        try {
            return Json.MAPPER.readTree(l);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void userErrorsExitTwoWithOneLine() throws Exception {
        PrintStream old = System.err;
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"question\":\"q\"}\n");
        String[][] cases = {
                mcts(tmp.resolve("o1.jsonl"), "--shard", "2/2"),
                mcts(tmp.resolve("o2.jsonl"), "--limit", "0"),
                mcts(tmp.resolve("o5.jsonl"), "--label-all", "--quota", "3"),
                mcts(tmp.resolve("o6.jsonl"), "--fix-share", "1.5"),
                mcts(tmp.resolve("o7.jsonl"), "--max-searched", "0"),
                mcts(tmp.resolve("o8.jsonl"), "--curated-out", tmp.resolve("o8.jsonl").toString()),
                {"mcts", "--model", Fixtures.tinyModel().toString(), "--task", "arc", "--data", bad.toString(), "--out", tmp.resolve("o3.jsonl").toString()},
                {"mcts", "--model", Fixtures.tinyModel().toString(), "--task", "chess", "--data", bad.toString(), "--out", tmp.resolve("o4.jsonl").toString()},
                {"mcts-summary", tmp.resolve("missing.jsonl").toString()},
        };
        for (String[] c : cases) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            System.setErr(new PrintStream(buf, true));
            int rc;
            try {
                rc = Main.run(c);
            } finally {
                System.setErr(old);
            }
            assertEquals(2, rc, String.join(" ", c) + "\n" + buf);
            assertEquals(1, buf.toString().strip().lines().count(), buf.toString());
        }
    }
}
