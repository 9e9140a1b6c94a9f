package dev.drllm.cli;

import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.MctsReports;
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code drllm mcts-merge}: joins the outputs of {@code drllm mcts --shard i/n} into one file sorted
 * by question index, equal to what one unsharded run writes (timings aside). Refuses, naming the
 * file, a missing, duplicate, unfinished or foreign shard (another model, data file or setting).
 */
@Command(name = "mcts-merge", mixinStandardHelpOptions = true,
        description = "Join the shards of one drllm mcts --shard run into one JSONL sorted by question index; checks every shard is there once and complete.")
final class MctsMergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "merged JSONL (written atomically)") Path out;
    @Parameters(arity = "1..*", paramLabel = "SHARD", description = "the outputs of drllm mcts --shard i/n, one per shard") List<Path> inputs;

    @Override
    public Integer call() {
        Args.mergeOutput("--out", out, inputs);
        ShardManifest.Checked set = ShardManifest.checkSet("mcts", inputs);
        set.requireComplete(f -> MctsOutput.readAll(f, true).stream().map(MctsRecord::index).toList(), "question");
        List<MctsRecord> merged = MctsReports.merge(set.files());
        MctsReports.writeJsonl(merged, out);
        System.err.println("drllm mcts-merge: " + merged.size() + " questions from " + inputs.size() + " shards → " + out);
        return 0;
    }
}
