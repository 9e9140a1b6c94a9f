package dev.drllm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.Fixtures;
import dev.drllm.cli.Main;
import dev.drllm.cli.ShardedRunsTestAccess;
import dev.drllm.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/kubernetes/: both manifests pass the Kubernetes schema (deploy/kubernetes/validate, npm
 * packages installed by .ci/run), a misspelled field or a bad enum value does not, and the Indexed
 * Job's container command, run here once per completion index with JOB_COMPLETION_INDEX set (and the
 * merge Job's after them), gives the unsharded run's result. Without node or the validator's
 * packages this skips, unless DRLLM_REQUIRE_K8S_VALIDATOR=1 (.ci/run) makes it fail.
 */
class KubernetesManifestTest {
    static Path project, validator, shards, merge;
    @TempDir Path tmp;

    @BeforeAll
    static void validatorInstalled() {
        project = Fixtures.projectDir();
        validator = project.resolve("deploy/kubernetes/validate");
        shards = project.resolve("deploy/kubernetes/drllm-shards.yaml");
        merge = project.resolve("deploy/kubernetes/drllm-merge.yaml");
        boolean ready = Files.isDirectory(validator.resolve("node_modules/kubernetes-models")) && nodeAnswers();
        String why = "the Kubernetes schema validator is not installed: npm ci --prefix deploy/kubernetes/validate (needs node)";
        if (!ready && "1".equals(System.getenv("DRLLM_REQUIRE_K8S_VALIDATOR"))) fail(why);
        assumeTrue(ready, why);
    }

    static boolean nodeAnswers() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    record Result(int exit, String out) {}

    static Result node(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", validator.resolve("validate.mjs").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(validator.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    @Test
    void manifestsPassTheKubernetesSchema() throws Exception {
        Result r = node(shards.toString(), merge.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("2 objects valid (PersistentVolumeClaim, Job)") && r.out().contains("1 objects valid (Job)"), r.out());

        String good = Files.readString(shards);
        Path typo = tmp.resolve("typo.yaml"), badEnum = tmp.resolve("enum.yaml");
        Files.writeString(typo, good.replace("backoffLimitPerIndex:", "backofLimitPerIndex:"));
        Files.writeString(badEnum, good.replace("completionMode: Indexed", "completionMode: Indexd"));
        r = node(typo.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("spec.backofLimitPerIndex: unknown field"), r.out());
        r = node(badEnum.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("completionMode must be equal to one of the allowed values"), r.out());
    }

    /** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ escapes, undefined ones stay as written. */
    static String expand(String s, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String rep = m.group(1) == null ? "$" : env.getOrDefault(m.group(1), m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        return m.appendTail(sb).toString();
    }

    /** The first container of Job {@code name} in {@code file}, with {@code overrides} in place of the manifest's values of those variables. */
    static List<String> command(String name, Path file, Map<String, String> overrides, Map<String, String> envOut) throws Exception {
        Result r = node("--container", name, file.toString());
        assertEquals(0, r.exit(), r.out());
        JsonNode c = Json.MAPPER.readTree(r.out());
        for (JsonNode e : c.get("env")) {
            String k = e.get("name").asText();
            envOut.put(k, overrides.containsKey(k) ? overrides.get(k) : expand(e.get("value").asText(), envOut));
        }
        List<String> cmd = new ArrayList<>();
        for (JsonNode a : c.get("command")) cmd.add(expand(a.asText(), envOut));
        for (JsonNode a : c.get("args")) cmd.add(expand(a.asText(), envOut));
        return cmd;
    }

    static void run(List<String> cmd, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + Files.readString(log));
    }

    @Test
    void indexedJobCommandRunsPerIndexAndMerges() throws Exception {
        // the volume: the tiny model and the first 8 ARC questions where the manifest expects a model and a task file
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared.resolve("models"));
        Files.createDirectories(shared.resolve("data"));
        Path model = Files.createDirectories(shared.resolve("models/model"));
        try (var files = Files.list(Fixtures.tinyModel())) {
            for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
        }
        Path data = shared.resolve("data/arc-train.jsonl");
        Files.write(data, Files.readAllLines(project.resolve("data/tasks/arc-train.jsonl")).subList(0, 8));
        Map<String, String> overrides = Map.of("DRLLM_HOME", project.toString(), "DRLLM_SHARED", shared.toString(),
                "DRLLM", SlurmArrayTest.launcher(tmp).toString());

        Map<String, String> env = new LinkedHashMap<>();
        List<String> cmd = command("drllm-mcts-shards", shards, overrides, env);
        int completions = Integer.parseInt(env.get("SHARD_COUNT"));
        assertEquals(4, completions);
        for (int i = 0; i < completions; i++) {
            Map<String, String> pod = new LinkedHashMap<>(env);
            pod.put("JOB_COMPLETION_INDEX", Integer.toString(i));
            run(cmd, pod, tmp.resolve("pod-" + i + ".log"));
        }
        Map<String, String> mergeEnv = new LinkedHashMap<>();
        run(command("drllm-mcts-merge", merge, overrides, mergeEnv), mergeEnv, tmp.resolve("merge.log"));

        Path whole = tmp.resolve("whole.jsonl");
        assertEquals(0, Main.run("mcts", "--model", shared.resolve("models/model").toString(), "--task", "arc", "--data", data.toString(),
                "--simulations", "50", "--quiet", "--out", whole.toString()));
        Path merged = Path.of(env.get("RESULTS")).resolve("mcts.jsonl");
        assertEquals(ShardedRunsTestAccess.mctsRecords(whole), ShardedRunsTestAccess.mctsRecords(merged));
    }
}
