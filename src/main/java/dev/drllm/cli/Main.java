package dev.drllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code drllm <command>}: the command-line front end. User errors print one line and exit non-zero. */
@Command(name = "drllm", mixinStandardHelpOptions = true, version = "drllm 0.1.0",
        description = "Dr.LLM dynamic layer routing for frozen decoder-only LLMs.",
        subcommands = {LogitsCommand.class, GenerateCommand.class, RouterBenchCommand.class, MctsCommand.class, MctsMergeCommand.class,
                MctsSummaryCommand.class, BenchMctsCommand.class,
                TrainRoutersCommand.class, EvalCommand.class, DemoCommand.class,
                TokenizeCommand.class, DetokenizeCommand.class, RenderChatCommand.class, BenchTokenizerCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new UserErrors());
        return cl.execute(args);
    }
}
