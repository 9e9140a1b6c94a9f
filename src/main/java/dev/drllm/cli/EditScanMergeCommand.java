package dev.drllm.cli;

import dev.drllm.analysis.ScanFile;
import dev.drllm.analysis.ScanRecord;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code drllm edit-scan-merge}: joins the outputs of {@code drllm edit-scan --shard i/n} into one
 * scan file (header, then the questions by index), the file one unsharded run writes apart from the
 * order its threads finished in. Refuses, naming the file, a missing, duplicate, unfinished or
 * foreign shard.
 */
@Command(name = "edit-scan-merge", mixinStandardHelpOptions = true,
        description = "Join the shards of one drllm edit-scan --shard run into one scan file; checks every shard is there once and complete.")
final class EditScanMergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "merged scan JSONL (written atomically)") Path out;
    @Parameters(arity = "1..*", paramLabel = "SHARD", description = "the outputs of drllm edit-scan --shard i/n, one per shard") List<Path> inputs;

    @Override
    public Integer call() {
        Args.mergeOutput("--out", out, inputs);
        ShardManifest.Checked set = ShardManifest.checkSet("edit-scan", inputs);
        List<ScanFile.Scan> scans = new ArrayList<>();
        for (Path f : set.files()) scans.add(ScanFile.read(f, true));
        set.requireComplete(f -> scans.get(set.files().indexOf(f)).records().stream().map(ScanRecord::index).toList(), "question");
        // the manifests agree on the run settings, which include the whole header but the model's path
        List<ScanRecord> records = new ArrayList<>();
        scans.forEach(s -> records.addAll(s.records()));
        records.sort(Comparator.comparingInt(ScanRecord::index));
        try {
            StringBuilder sb = new StringBuilder(Json.MAPPER.writeValueAsString(scans.getFirst().header().toJson())).append('\n');
            for (ScanRecord r : records) sb.append(Json.MAPPER.writeValueAsString(r.toJson())).append('\n');
            AtomicFiles.writeString(out, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
        System.err.println("drllm edit-scan-merge: " + records.size() + " questions from " + inputs.size() + " shards → " + out);
        return 0;
    }
}
