package dev.drllm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * deploy/slurm/submit.sh on a real Slurm: 4 array tasks of mcts and of eval on the tiny model, each
 * merged by its dependent job, equal the unsharded runs. Needs a cluster the Slurm commands reach
 * (SLURM_CONF): .ci/run starts a one-node one with deploy/slurm/local-cluster.sh and sets
 * DRLLM_REQUIRE_SLURM=1, so there a missing Slurm fails instead of skipping. The nodes run the test
 * classes through a launcher written here, so no jar needs building.
 */
class SlurmArrayTest {
    static final int SHARDS = 4;
    @TempDir Path tmp;

    static boolean slurmAnswers() {
        try {
            Process p = new ProcessBuilder("sinfo", "-h", "-o", "%a").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** An executable that runs this build's drllm CLI (the test classpath) with the flags the drllm launcher gives. */
    static Path launcher(Path dir) throws IOException {
        Path l = dir.resolve("drllm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(l, "#!/usr/bin/env bash\nexec '" + java + "' --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
                + " -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
        l.toFile().setExecutable(true);
        return l;
    }

    static String run(Path log, List<String> cmd, java.util.Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out.strip();
    }

    /** Waits for a job to leave the queue; returns its final state (COMPLETED, FAILED, CANCELLED, …). */
    static String await(String jobId, Path results) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        Pattern state = Pattern.compile("JobState=(\\S+)");
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("scontrol", "show", "job", jobId).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Matcher m = state.matcher(out);
            if (m.find() && !m.group(1).equals("PENDING") && !m.group(1).equals("RUNNING") && !m.group(1).equals("CONFIGURING")
                    && !m.group(1).equals("COMPLETING")) {
                return m.group(1);
            }
            Thread.sleep(1000);
        }
        fail("job " + jobId + " still queued after 15 minutes; logs:\n" + logs(results));
        return null;
    }

    static String logs(Path results) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(results.resolve("logs"))) {
            for (Path f : files.sorted().toList()) sb.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
        }
        return sb.toString();
    }

    @Test
    void arrayJobsMergeIntoTheUnshardedRuns() throws Exception {
        if (!slurmAnswers()) {
            String why = "no Slurm cluster answers sinfo (SLURM_CONF=" + System.getenv("SLURM_CONF") + "); .ci/run starts one with deploy/slurm/local-cluster.sh";
            if ("1".equals(System.getenv("DRLLM_REQUIRE_SLURM"))) fail(why);
            Assumptions.abort(why);
        }
        Path project = Fixtures.projectDir();
        Path submit = project.resolve("deploy/slurm/submit.sh");
        java.util.Map<String, String> env = java.util.Map.of("DRLLM", launcher(tmp).toString());
        List<String> mctsArgs = List.of("--model", Fixtures.tinyModel().toString(), "--task", "arc", "--data",
                project.resolve("data/tasks/arc-train.jsonl").toString(), "--limit", "10", "--simulations", "8", "--threads", "1", "--quiet");
        List<String> evalArgs = List.of("--model", Fixtures.tinyModel().toString(), "--task", "dart", "--data",
                project.resolve("data/tasks/dart-test.jsonl").toString(), "--limit", "10", "--quiet");
        Path mctsDir = tmp.resolve("results/mcts"), evalDir = tmp.resolve("results/eval");
        List<String> ids = new ArrayList<>();
        for (var job : List.of(List.of("mcts", mctsDir.toString()), List.of("eval", evalDir.toString()))) {
            List<String> cmd = new ArrayList<>(List.of("bash", submit.toString(), job.get(0), Integer.toString(SHARDS), job.get(1)));
            cmd.addAll(job.get(0).equals("mcts") ? mctsArgs : evalArgs);
            String out = run(tmp.resolve("submit-" + job.get(0) + ".log"), cmd, env);
            String[] two = out.lines().reduce((a, b) -> b).orElse("").split(" ");
            assertEquals(2, two.length, "submit.sh prints the array and merge job ids: " + out);
            ids.addAll(List.of(two));
        }
        // meanwhile, the unsharded runs to compare with
        Path whole = tmp.resolve("whole.jsonl"), wholeEval = tmp.resolve("whole-eval");
        List<String> m = new ArrayList<>(List.of("mcts", "--out", whole.toString()));
        m.addAll(mctsArgs);
        assertEquals(0, Main.run(m.toArray(String[]::new)));
        List<String> e = new ArrayList<>(List.of("eval", "--out-dir", wholeEval.toString()));
        e.addAll(evalArgs);
        assertEquals(0, Main.run(e.toArray(String[]::new)));

        assertEquals("COMPLETED", await(ids.get(1), mctsDir), logs(mctsDir));
        assertEquals("COMPLETED", await(ids.get(3), evalDir), logs(evalDir));
        for (int i = 0; i < SHARDS; i++) assertTrue(Files.isRegularFile(mctsDir.resolve("mcts.shard-" + i + "-of-4.jsonl")));
        assertEquals(dev.drllm.cli.ShardedRunsTestAccess.mctsRecords(whole), dev.drllm.cli.ShardedRunsTestAccess.mctsRecords(mctsDir.resolve("mcts.jsonl")),
                "the merged array = one unsharded mcts run, timings aside");
        JsonNode merged = dev.drllm.cli.ShardedRunsTestAccess.report(evalDir), unsharded = dev.drllm.cli.ShardedRunsTestAccess.report(wholeEval);
        assertEquals(unsharded, merged, "the merged array = one unsharded eval, timings aside");
    }
}
