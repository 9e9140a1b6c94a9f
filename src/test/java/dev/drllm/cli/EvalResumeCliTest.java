package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A {@code drllm eval} process killed with SIGKILL mid-run, rerun with the same command, writes the
 * report of an uninterrupted run; a rerun with other settings is refused until --fresh.
 */
class EvalResumeCliTest {
    static final int LIMIT = 30;
    @TempDir Path tmp;

    private static List<String> args(Path outDir, String... more) {
        List<String> a = new ArrayList<>(List.of("eval", "--model", Fixtures.tinyModel().toString(), "--task", "dart",
                "--data", Fixtures.projectDir().resolve("data/tasks/dart-test.jsonl").toString(), "--limit", Integer.toString(LIMIT),
                "--quiet", "--out-dir", outDir.toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static JsonNode report(Path outDir) throws Exception {
        ObjectNode j = (ObjectNode) Json.MAPPER.readTree(outDir.resolve("dart-test.json").toFile());
        // wall-clock figures differ between any two runs
        j.get("summaries").forEach(s -> ((ObjectNode) s).remove(List.of("decode_tokens_per_second", "avg_prefill_ms")));
        return j;
    }

    private static int run(StringWriter err, List<String> args) {
        return Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
    }

    @Test
    void killedRunResumesAndOtherSettingsAreRefused() throws Exception {
        Path killed = tmp.resolve("killed"), progress = killed.resolve("dart-test" + EvalCommand.PROGRESS_SUFFIX);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(killed));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        // kill inside the routed configuration: the header, every baseline answer and a few routed ones are in
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(progress) || Files.readAllLines(progress).size() < 1 + LIMIT + 3)) {
            Thread.sleep(10);
        }
        p.destroyForcibly().waitFor();
        assertTrue(Files.exists(progress) && Files.readAllLines(progress).size() > LIMIT,
                "the process answered questions before it was killed:\n" + Files.readString(tmp.resolve("log.txt")));
        assertFalse(Files.exists(killed.resolve("dart-test.json")), "killed before the report");

        // other settings: one line naming the file and the setting, exit 2, the file untouched
        byte[] before = Files.readAllBytes(progress);
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, args(killed, "--route-bias", "skip=1")));
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains(progress.toString()) && line.contains("--route-bias") && line.contains("--fresh"), line);
        err = new StringWriter();
        List<String> fewer = args(killed);
        fewer.set(fewer.indexOf("--limit") + 1, "20");
        assertEquals(2, run(err, fewer));
        assertTrue(err.toString().contains("--limit: " + LIMIT + " questions (this run: 20)"), err.toString());
        assertArrayEquals(before, Files.readAllBytes(progress));

        // the same command resumes; the report equals an uninterrupted run's, and the progress file is gone
        assertEquals(0, run(new StringWriter(), args(killed)));
        assertFalse(Files.exists(progress));
        Path whole = tmp.resolve("whole");
        assertEquals(0, run(new StringWriter(), args(whole)));
        assertEquals(report(whole), report(killed));

        // --fresh discards an earlier run's answers (here: ones made with another bias) and starts over
        Files.copy(tmp.resolve("killed").resolve("dart-test.json"), tmp.resolve("kept.json"));
        Files.write(progress, before);
        assertEquals(0, run(new StringWriter(), args(killed, "--fresh", "--route-bias", "skip=-1")));
        assertFalse(Files.exists(progress));
        assertEquals("route bias skip=-1.0, repeat=0.0", report(killed).get("notes").get("routed").asText());
    }
}
