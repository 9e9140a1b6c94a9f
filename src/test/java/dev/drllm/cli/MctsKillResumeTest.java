package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A `drllm mcts` process killed with SIGKILL mid-run, restarted with the same command, ends with every question exactly once. */
class MctsKillResumeTest {
    @TempDir Path tmp;

    private static List<String> args(Path out) {
        return List.of("mcts", "--model", Fixtures.tinyModel().toString(), "--task", "dart",
                "--data", Fixtures.projectDir().resolve("data/tasks/dart-train.jsonl").toString(), "--limit", "14",
                "--simulations", "12", "--threads", "1", "--quiet", "--out", out.toString());
    }

    private static Map<Integer, String> byIndex(Path f) throws Exception {
        Map<Integer, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(f)) {
            JsonNode j = Json.MAPPER.readTree(line);
            ((com.fasterxml.jackson.databind.node.ObjectNode) j).remove("seconds");
            assertNull(m.put(j.get("index").asInt(), j.toString()), "duplicate question " + j.get("index"));
        }
        return m;
    }

    @Test
    void killedRunResumes() throws Exception {
        Path out = tmp.resolve("killed.jsonl");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(out));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(out) || Files.readAllLines(out).size() < 3)) Thread.sleep(20);
        p.destroyForcibly().waitFor();
        int before = Files.exists(out) ? Files.readAllLines(out).size() : 0;
        assertTrue(before >= 3, "the process wrote lines before it was killed:\n" + Files.readString(tmp.resolve("log.txt")));

        assertEquals(0, Main.run(args(out).toArray(String[]::new)));
        Path clean = tmp.resolve("clean.jsonl");
        assertEquals(0, Main.run(args(clean).toArray(String[]::new)));
        Map<Integer, String> resumed = byIndex(out), whole = byIndex(clean);
        assertEquals(14, resumed.size());
        assertEquals(whole, resumed, "killed + resumed = one uninterrupted run");
    }
}
