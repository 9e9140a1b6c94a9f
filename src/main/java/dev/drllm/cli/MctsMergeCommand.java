package dev.drllm.cli;

import dev.drllm.mcts.Curation;
import dev.drllm.mcts.MctsOutput;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.MctsReports;
import dev.drllm.util.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code drllm mcts-merge}: joins the outputs of {@code drllm mcts --shard i/n} into one file sorted
 * by question index, equal to what one unsharded run writes (timings aside). Refuses, naming the
 * file, a missing, duplicate, unfinished or foreign shard (another model, data file or setting). A
 * curated run's shard may stop early, once it kept its share of the quota (or searched its share of
 * {@code --max-searched}); the merge then also curates the joined shards by the run's rule into
 * {@code <out stem>-curated.jsonl} and its summary, as {@code drllm mcts-curate} does.
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
        for (int s = 0; s < set.files().size(); s++) {
            Path f = set.files().get(s);
            ShardManifest m = set.shard(s);
            Map<Integer, MctsRecord> byIndex = new HashMap<>();
            List<Integer> seen = new ArrayList<>();
            for (MctsRecord r : MctsOutput.readAll(f, true)) {
                seen.add(r.index());
                byIndex.put(r.index(), r);
            }
            m.requireComplete(f, seen, "question", MctsCommand.stoppedAfter(m, byIndex::get));
        }
        List<MctsRecord> merged = MctsReports.merge(set.files());
        MctsReports.writeJsonl(merged, out);
        System.err.println("drllm mcts-merge: " + merged.size() + " questions from " + inputs.size() + " shards → " + out);
        Curation.Rule rule = MctsCommand.runRule(set.run().run());
        if (rule != null && !rule.isLabelAll()) {
            Path curated = MctsCommand.sibling(out, "-curated.jsonl");
            System.err.println("drllm mcts-merge: curation of the joined shards (" + rule.describe() + "): "
                    + MctsCurateCommand.curate(rule, merged, inputs, curated));
        }
        return 0;
    }
}
