package dev.drllm.cli;

import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.MctsReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code drllm mcts-merge}: joins shard (or partial) result files into one file sorted by question index. */
@Command(name = "mcts-merge", mixinStandardHelpOptions = true, description = "Join MCTS result shards into one JSONL sorted by question index.")
final class MctsMergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "merged JSONL (written atomically)") Path out;
    @Parameters(arity = "1..*", paramLabel = "SHARD", description = "result files of drllm mcts") List<Path> inputs;

    @Override
    public Integer call() {
        for (Path p : inputs) {
            if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) throw new UserException("--out must differ from the inputs: " + p);
        }
        List<MctsRecord> merged = MctsReports.merge(inputs);
        MctsReports.writeJsonl(merged, out);
        System.err.println("drllm mcts-merge: " + merged.size() + " questions from " + inputs.size() + " files → " + out);
        return 0;
    }
}
