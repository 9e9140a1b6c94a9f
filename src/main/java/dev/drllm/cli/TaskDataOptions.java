package dev.drllm.cli;

import dev.drllm.eval.Datasets;
import dev.drllm.eval.Question;
import dev.drllm.eval.Task;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of every command that answers the questions of one task file with one model
 * ({@code eval}, {@code mcts}): a picocli mixin, so their names, checks and help read the same.
 */
final class TaskDataOptions {
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory (with tokenizer.json) or GGUF file") Path model;
    @Option(names = "--task", required = true, description = "arc or dart") String task;
    @Option(names = "--data", required = true, description = "task JSONL file (ARC or DART-Math layout)") Path data;
    @Option(names = "--limit", description = "only the first N questions of the file") Integer limit;

    Task parsedTask() { return Task.parse(task); }

    /** The questions of {@code --data} read as {@code --task}, cut to {@code --limit}. */
    List<Question> questions() {
        if (limit != null && limit < 1) throw new UserException("--limit must be >= 1, got " + limit);
        List<Question> all = Datasets.load(data, parsedTask());
        return limit == null || limit >= all.size() ? all : all.subList(0, limit);
    }
}
