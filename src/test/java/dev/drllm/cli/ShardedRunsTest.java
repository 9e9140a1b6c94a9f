package dev.drllm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.Fixtures;
import dev.drllm.util.Json;
import dev.drllm.util.ShardManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --shard i/n} on the per-question jobs of the tiny model: the checked merge of the shards
 * equals one unsharded run (timings aside), and a missing, duplicate, unfinished or foreign shard is
 * refused with one line naming it; a shard killed mid-run and rerun resumes without loss or duplicate.
 */
class ShardedRunsTest {
    @TempDir Path tmp;

    static Path data(String name) {
        return Fixtures.projectDir().resolve("data/tasks/" + name);
    }

    static List<String> mcts(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("mcts", "--model", Fixtures.tinyModel().toString(), "--task", "arc",
                "--data", data("arc-train.jsonl").toString(), "--limit", "7", "--simulations", "8", "--threads", "2", "--quiet",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    static int run(StringWriter err, List<String> args) {
        return Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
    }

    static void ok(List<String> args) {
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, args), String.join(" ", args) + "\n" + err);
    }

    /** One line on stderr, exit 2, containing every {@code expected} text. */
    static String refused(List<String> args, String... expected) {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, args), err.toString());
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        for (String e : expected) assertTrue(line.contains(e), "'" + e + "' in: " + line);
        return line;
    }

    /** The records of an MCTS output by question index, without the wall-clock field. */
    static Map<Integer, String> mctsRecords(Path f) throws Exception {
        Map<Integer, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(f)) {
            ObjectNode j = (ObjectNode) Json.MAPPER.readTree(line);
            j.remove("seconds");
            assertNull(m.put(j.get("index").asInt(), j.toString()), "question " + j.get("index") + " twice in " + f);
        }
        return m;
    }

    static int index(String jsonLine) {
        try {
            return Json.MAPPER.readTree(jsonLine).get("index").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> merge(String command, Path out, List<Path> shards) {
        List<String> a = new ArrayList<>(List.of(command, "--out", out.toString()));
        shards.forEach(s -> a.add(s.toString()));
        return a;
    }

    @Test
    void mctsShardsMergeIntoTheUnshardedRun() throws Exception {
        Path whole = tmp.resolve("whole.jsonl");
        ok(mcts(whole));
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path s = tmp.resolve("mcts." + i + ".jsonl");
            ok(mcts(s, "--shard", i + "/3"));
            shards.add(s);
        }
        JsonNode manifest = Json.MAPPER.readTree(ShardManifest.sidecar(shards.get(1)).toFile());
        assertEquals(1, manifest.get("shard").asInt());
        assertEquals(7, manifest.get("items").asInt());
        Path merged = tmp.resolve("merged.jsonl");
        ok(merge("mcts-merge", merged, List.of(shards.get(2), shards.get(0), shards.get(1))));
        assertEquals(mctsRecords(whole), mctsRecords(merged), "merged shards = one unsharded run, timings aside");
        List<Integer> order = Files.readAllLines(merged).stream().map(ShardedRunsTest::index).toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), order);

        // missing, duplicate, foreign, unfinished and unsharded inputs: one line naming the culprit
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), shards.subList(0, 2)), "shard 2/3 missing");
        Path copy = tmp.resolve("copy.jsonl");
        Files.copy(shards.get(0), copy);
        Files.copy(ShardManifest.sidecar(shards.get(0)), ShardManifest.sidecar(copy));
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(shards.get(0), shards.get(1), copy)), copy.toString(), "duplicate shard 0/3");
        Path foreign = tmp.resolve("foreign.jsonl");
        ok(mcts(foreign, "--shard", "2/3", "--seed", "5"));
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(shards.get(0), shards.get(1), foreign)), foreign.toString(), "foreign shard", "seed 5");
        Path otherData = tmp.resolve("otherdata.jsonl");
        List<String> od = mcts(otherData, "--shard", "2/3");
        od.set(od.indexOf("--limit") + 1, "8");
        ok(od);
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(shards.get(0), shards.get(1), otherData)), otherData.toString(), "item count 8");
        Path cut = tmp.resolve("cut.jsonl");
        // lines are in finishing order (2 threads): keep question 2, so question 5 is the missing one
        List<String> lines = new ArrayList<>(Files.readAllLines(shards.get(2)));
        lines.sort(java.util.Comparator.comparingInt(ShardedRunsTest::index));
        Files.write(cut, lines.subList(0, 1));
        Files.copy(ShardManifest.sidecar(shards.get(2)), ShardManifest.sidecar(cut));
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(shards.get(0), shards.get(1), cut)), cut.toString(), "unfinished shard 2/3", "5");
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(shards.get(0), shards.get(1), whole)), whole.toString(), "not the output of a drllm --shard run");

        // a shard output is resumed only as the same shard of the same run, and never by an unsharded run
        refused(mcts(shards.get(1), "--shard", "1/3", "--seed", "5"), shards.get(1).toString(), "seed 0", "this run: 5");
        refused(mcts(shards.get(1)), shards.get(1).toString(), "is a shard output");
        refused(mcts(tmp.resolve("bad.jsonl"), "--shard", "3/3"), "--shard must be i/n");
    }

    /**
     * The default, curated MCTS stops each shard once it kept its share of the quota: the merge
     * accepts such shards, refuses one that lost a question before its stopping point, and curates the
     * joined shards as mcts-curate does.
     */
    @Test
    void curatedMctsShardsStopEarlyAndMerge() throws Exception {
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path s = tmp.resolve("cur.shard-" + i + "-of-2.jsonl");
            ok(mcts(s, "--shard", i + "/2", "--quota", "4", "--fix-share", "0"));
            shards.add(s);
            assertTrue(mctsRecords(s).size() < 4, "shard " + i + " stopped at its quota share: " + mctsRecords(s).keySet());
        }
        // the threads start no question the curation could do without: two search what one does
        Path oneThread = tmp.resolve("cur1.shard-0-of-2.jsonl");
        List<String> one = mcts(oneThread, "--shard", "0/2", "--quota", "4", "--fix-share", "0");
        one.set(one.indexOf("--threads") + 1, "1");
        ok(one);
        assertEquals(mctsRecords(oneThread), mctsRecords(shards.get(0)));
        Path merged = tmp.resolve("cur-merged.jsonl");
        ok(merge("mcts-merge", merged, shards));
        Path curated = tmp.resolve("cur-merged-curated.jsonl");
        assertTrue(Files.isRegularFile(curated), "the merge curates the joined shards");
        assertEquals(4, Files.readAllLines(curated).size());
        assertTrue(Json.MAPPER.readTree(tmp.resolve("cur-merged-curated.json").toFile()).get("complete").asBoolean());
        Path again = tmp.resolve("again.jsonl");
        List<String> curate = new ArrayList<>(List.of("mcts-curate", "--quota", "4", "--fix-share", "0", "--out", again.toString()));
        shards.forEach(f -> curate.add(f.toString()));
        ok(curate);
        assertEquals(Files.readAllLines(again), Files.readAllLines(curated));

        // a question lost before the shard's stopping point is an unfinished shard
        Path cut = tmp.resolve("cut.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(shards.get(1)));
        lines.sort(java.util.Comparator.comparingInt(ShardedRunsTest::index));
        Files.write(cut, lines.subList(1, lines.size()));
        Files.copy(ShardManifest.sidecar(shards.get(1)), ShardManifest.sidecar(cut));
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(shards.get(0), cut)), cut.toString(), "unfinished shard 1/2", "1");
        // the curation rule is part of the run: a shard resumed with another quota is refused
        refused(mcts(shards.get(0), "--shard", "0/2", "--quota", "6", "--fix-share", "0"), shards.get(0).toString(), "quota 4", "this run: 6");
    }

    @Test
    void editScanShardsMergeIntoTheUnshardedRun() throws Exception {
        List<String> base = new ArrayList<>(List.of("edit-scan", "--model", Fixtures.tinyModel().toString(), "--task", "dart",
                "--data", data("dart-train.jsonl").toString(), "--limit", "5", "--threads", "2", "--feature-layer", "3", "--quiet", "--out"));
        Path whole = tmp.resolve("whole.jsonl");
        List<String> a = new ArrayList<>(base);
        a.add(whole.toString());
        ok(a);
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path s = tmp.resolve("scan." + i + ".jsonl");
            List<String> b = new ArrayList<>(base);
            b.addAll(List.of(s.toString(), "--shard", i + "/2"));
            ok(b);
            shards.add(s);
        }
        Path merged = tmp.resolve("merged.jsonl");
        ok(merge("edit-scan-merge", merged, shards));
        List<String> w = Files.readAllLines(whole), m = Files.readAllLines(merged);
        assertEquals(w.getFirst(), m.getFirst(), "same header");
        List<String> sorted = new ArrayList<>(w.subList(1, w.size()));
        sorted.sort(java.util.Comparator.comparingInt(ShardedRunsTest::index));
        assertEquals(sorted, m.subList(1, m.size()), "the same records, by question index");
        refused(merge("edit-scan-merge", tmp.resolve("x.jsonl"), shards.subList(1, 2)), "shard 0/2 missing");
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), shards), shards.getFirst().toString(), "not an output of drllm mcts");
    }

    static List<String> eval(Path outDir, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--model", Fixtures.tinyModel().toString(), "--task", "dart",
                "--data", data("dart-test.jsonl").toString(), "--limit", "9", "--quiet", "--out-dir", outDir.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    /** The JSON report of an eval run without its wall-clock figures. */
    static JsonNode report(Path outDir) throws Exception {
        ObjectNode j = (ObjectNode) Json.MAPPER.readTree(outDir.resolve("dart-test.json").toFile());
        j.get("summaries").forEach(s -> ((ObjectNode) s).remove(List.of("decode_tokens_per_second", "avg_prefill_ms")));
        return j;
    }

    @Test
    void evalShardsMergeIntoTheUnshardedReport() throws Exception {
        Path whole = tmp.resolve("whole"), sharded = tmp.resolve("sharded");
        ok(eval(whole));
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ok(eval(sharded, "--shard", i + "/3"));
            shards.add(sharded.resolve("dart-test.shard-" + i + "-of-3.jsonl"));
            assertTrue(Files.isRegularFile(shards.getLast()));
        }
        assertFalse(Files.exists(sharded.resolve("dart-test.json")), "a shard writes no report");
        List<String> m = new ArrayList<>(List.of("eval-merge", "--quiet"));
        shards.forEach(s -> m.add(s.toString()));
        ok(m);
        JsonNode r = report(sharded);
        assertEquals(report(whole), r, "merged shards = one unsharded run, timings aside");
        assertTrue(r.get("summaries").has("routed") && r.get("notes").toString().contains("static skip-"), r.toString());
        assertFalse(Files.exists(sharded.resolve("dart-test" + EvalCommand.PROGRESS_SUFFIX)));

        // with --skip-layers the shards answer the static baseline too, and the merge runs nothing
        Path given = tmp.resolve("given");
        for (int i = 0; i < 2; i++) ok(eval(given, "--shard", i + "/2", "--skip-layers", "3,5"));
        ok(List.of("eval-merge", "--quiet", "--device", "no-such-device", given.resolve("dart-test.shard-0-of-2.jsonl").toString(),
                given.resolve("dart-test.shard-1-of-2.jsonl").toString()));
        assertTrue(report(given).get("summaries").has("static skip-2"));

        List<String> missing = new ArrayList<>(List.of("eval-merge", "--quiet", shards.get(0).toString(), shards.get(2).toString()));
        refused(missing, "shard 1/3 missing");
        Path other = tmp.resolve("other");
        ok(eval(other, "--shard", "1/3", "--route-bias", "skip=1"));
        Path foreign = other.resolve("dart-test.shard-1-of-3.jsonl");
        refused(List.of("eval-merge", "--quiet", shards.get(0).toString(), foreign.toString(), shards.get(2).toString()), foreign.toString(),
                "foreign shard", "skip_bias");
    }

    /** A shard killed with SIGKILL mid-run and resubmitted finishes with every question of its slice once; the merge equals an unsharded run. */
    @Test
    void killedShardResumes() throws Exception {
        Path s0 = tmp.resolve("k.0.jsonl"), s1 = tmp.resolve("k.1.jsonl"), whole = tmp.resolve("whole.jsonl");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        List<String> shard1 = mcts(s1, "--shard", "1/2");
        shard1.set(shard1.indexOf("--limit") + 1, "12");
        shard1.set(shard1.indexOf("--threads") + 1, "1");
        List<String> shard0 = new ArrayList<>(shard1);
        shard0.set(shard0.indexOf("--out") + 1, s0.toString());
        shard0.set(shard0.indexOf("--shard") + 1, "0/2");
        ok(shard0);
        cmd.addAll(shard1);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(s1) || Files.readAllLines(s1).size() < 2)) Thread.sleep(10);
        p.destroyForcibly().waitFor();
        int before = Files.readAllLines(s1).size();
        assertTrue(before >= 2 && before < 6, "killed mid-run with " + before + " of 6 questions:\n" + Files.readString(tmp.resolve("log.txt")));
        refused(merge("mcts-merge", tmp.resolve("x.jsonl"), List.of(s0, s1)), s1.toString(), "unfinished shard 1/2");

        ok(shard1);
        List<String> all = new ArrayList<>(shard1);
        all.set(all.indexOf("--out") + 1, whole.toString());
        int at = all.indexOf("--shard");
        all.remove(at + 1);
        all.remove(at);
        ok(all);
        Path merged = tmp.resolve("merged.jsonl");
        ok(merge("mcts-merge", merged, List.of(s0, s1)));
        assertEquals(6, mctsRecords(s1).size(), "every question of the shard exactly once");
        assertEquals(mctsRecords(whole), mctsRecords(merged));
    }
}
