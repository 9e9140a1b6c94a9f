package dev.drllm.cli;

import dev.drllm.Fixtures;
import dev.drllm.util.ShardManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.drllm.cli.ShardedRunsTest.ok;
import static dev.drllm.cli.ShardedRunsTest.refused;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The feature pass of train-routers in shards: their union is the unsharded pass's feature cache,
 * byte for byte, and the routers trained on it are the same file; a missing, foreign or unfinished
 * feature shard is refused, naming it.
 */
class TrainRoutersShardsTest {
    @TempDir Path tmp;

    Path labels() throws Exception {
        Path f = tmp.resolve("labels.jsonl");
        if (!Files.exists(f)) Files.write(f, Files.readAllLines(Fixtures.projectDir().resolve("data/labels/arc-train-mcts.jsonl")).subList(0, 40));
        return f;
    }

    List<String> train(Path cache, String... extra) throws Exception {
        Path project = Fixtures.projectDir();
        List<String> a = new ArrayList<>(List.of("train-routers", "--model", Fixtures.tinyModel().toString(),
                "--labels", labels().toString(),
                "--data", project.resolve("data/tasks/arc-train.jsonl").toString(),
                "--epochs", "2", "--warmup", "2", "--cache-dir", cache.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    static Path onlyFile(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            List<Path> l = files.filter(f -> f.getFileName().toString().startsWith("features-")).toList();
            assertEquals(1, l.size(), l.toString());
            return l.getFirst();
        }
    }

    @Test
    void featureShardsTrainLikeOnePass() throws Exception {
        Path wholeCache = tmp.resolve("cache-whole"), shardCache = tmp.resolve("cache-shards");
        Path whole = tmp.resolve("whole.safetensors"), joined = tmp.resolve("joined.safetensors");
        ok(train(wholeCache, "--out", whole.toString()));
        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = tmp.resolve("features." + i + ".safetensors");
            ok(train(shardCache, "--shard", i + "/3", "--features-out", f.toString()));
            assertTrue(Files.isRegularFile(ShardManifest.sidecar(f)));
            shards.add(f);
        }
        assertFalse(Files.exists(shardCache) && Files.list(shardCache).findAny().isPresent(), "a feature shard fills no cache");
        String list = String.join(",", shards.stream().map(Path::toString).toList());
        ok(train(shardCache, "--features", list, "--out", joined.toString()));
        assertArrayEquals(Files.readAllBytes(onlyFile(wholeCache)), Files.readAllBytes(onlyFile(shardCache)), "union of shards = one feature pass");
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(joined), "the same routers");
        // a finished shard run again only checks its output
        long before = Files.getLastModifiedTime(shards.get(1)).toMillis();
        ok(train(shardCache, "--shard", "1/3", "--features-out", shards.get(1).toString()));
        assertEquals(before, Files.getLastModifiedTime(shards.get(1)).toMillis());

        Path x = tmp.resolve("x.safetensors");
        refused(train(shardCache, "--features", shards.get(0) + "," + shards.get(2), "--out", x.toString()), "shard 1/3 missing");
        Path foreign = tmp.resolve("foreign.safetensors");
        ok(train(shardCache, "--shard", "1/3", "--features-out", foreign.toString(), "--windows", "4"));
        refused(train(shardCache, "--features", shards.get(0) + "," + foreign + "," + shards.get(2), "--out", x.toString()),
                foreign.toString(), "foreign shard", "features_key");
        refused(train(shardCache, "--features", list, "--out", x.toString(), "--windows", "4"), shards.getFirst().toString(), "other labels");
        refused(train(shardCache, "--shard", "1/3"), "--shard needs --features-out");
    }
}
