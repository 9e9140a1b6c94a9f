package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.mcts.Curation;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.MctsReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code drllm mcts-curate}: the reference's curation applied to searched MCTS results (joined
 * shards, or a file searched with {@code --label-all}); what {@code drllm mcts} writes to its
 * curated file, for results that were searched in pieces.
 */
@Command(name = "mcts-curate", mixinStandardHelpOptions = true,
        description = "Curate searched MCTS results (shards are joined): keep a quota of solved questions, topped up with fixed ones to --fix-share.")
final class MctsCurateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "the kept questions' JSONL (written atomically; its summary next to it as <stem>.json)") Path out;
    @Option(names = "--quota", description = "questions to keep (default: the paper's, ARC 1000, DART 3000)") Integer quota;
    @Option(names = "--fix-share", description = "least share of kept questions that MCTS fixed (default 0.3, the paper's)") Double fixShare;
    @Option(names = "--label-all", description = "keep every solved question (no curation)") boolean labelAll;
    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "result files of drllm mcts (--out files, or shards of one run)") List<Path> inputs;

    @Override
    public Integer call() {
        Path summaryFile = MctsCommand.sibling(out, ".json");
        for (Path p : inputs) {
            Path n = p.toAbsolutePath().normalize();
            if (n.equals(out.toAbsolutePath().normalize()) || n.equals(summaryFile.toAbsolutePath().normalize())) {
                throw new UserException("--out (and its summary " + summaryFile + ") must differ from the inputs: " + p);
            }
        }
        List<MctsRecord> all = MctsReports.merge(inputs);
        if (all.isEmpty()) throw new UserException("no searched questions in " + inputs);
        Curation.Rule rule = MctsCommand.rule(all.getFirst().task(), quota, fixShare, labelAll);
        System.err.println("drllm mcts-curate: " + curate(rule, all, inputs, out));
        return 0;
    }

    /**
     * Curates {@code searched} (the records of {@code inputs}) by {@code rule} into {@code out} and its
     * summary {@code <out stem>.json}; returns the one-line summary with both paths.
     */
    static String curate(Curation.Rule rule, List<MctsRecord> searched, List<Path> inputs, Path out) {
        Path summaryFile = MctsCommand.sibling(out, ".json");
        Curation.Result res = Curation.apply(rule, searched);
        MctsReports.writeJsonl(res.kept(), out);
        ObjectNode summary = res.toJson();
        summary.put("searched_files", String.join(",", inputs.stream().map(Path::toString).toList()));
        MctsReports.writeJson(summary, summaryFile);
        return res.summary() + " → " + out + ", " + summaryFile;
    }
}
