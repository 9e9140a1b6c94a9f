package dev.drllm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.mcts.MctsConfig;
import dev.drllm.mcts.MctsRecord;
import dev.drllm.mcts.MctsReports;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code drllm mcts-summary}: the reference's aggregate JSON for one or more result files. */
@Command(name = "mcts-summary", mixinStandardHelpOptions = true,
        description = "Aggregate MCTS results: original / MCTS accuracy, improved cases, average path length, unique layers.")
final class MctsSummaryCommand implements Callable<Integer> {
    @Option(names = "--out", description = "summary JSON (default: print it)") Path out;
    @Option(names = "--model-name", description = "recorded as model_name, e.g. the model's Hugging Face id (default: the model the records name,"
            + " its directory's name; files of drllm before 2026-12-01 name none)") String modelName;
    @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "result files of drllm mcts (shards are joined)") List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        List<MctsRecord> rs = MctsReports.merge(inputs);
        if (rs.isEmpty()) throw new UserException("no results in " + inputs);
        int budget = rs.getFirst().simulationBudget();
        String name = modelName != null ? modelName : MctsReports.modelName(rs);
        ObjectNode s = MctsReports.summary(rs, name, rs.getFirst().task(), MctsConfig.paper().withSimulations(Math.max(1, budget)));
        if (name == null) System.err.println("drllm mcts-summary: the records do not name their model (an older drllm); model_name is null: name it with --model-name");
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s);
        if (out != null) {
            AtomicFiles.writeString(out, json + "\n");
        } else {
            System.out.println(json);
        }
        System.err.printf(Locale.ROOT, "drllm mcts-summary: %d questions, original %.1f%%, mcts %.1f%%, fixes %d, avg path %.2f, avg unique %.2f%n",
                s.get("num_samples").asInt(), s.get("original_accuracy").asDouble(), s.get("mcts_accuracy").asDouble(),
                s.get("fixes").asInt(), s.get("average_path_length").asDouble(), s.get("average_unique_layers").asDouble());
        return 0;
    }
}
