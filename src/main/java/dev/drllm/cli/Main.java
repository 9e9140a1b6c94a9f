package dev.drllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code drllm <command>}: the command-line front end. User errors print one line and exit non-zero. */
@Command(name = "drllm", mixinStandardHelpOptions = true, version = "drllm 0.1.0",
        description = "Dr.LLM dynamic layer routing for frozen decoder-only LLMs.",
        subcommands = {LogitsCommand.class, GenerateCommand.class, RouterBenchCommand.class, MctsCommand.class, MctsMergeCommand.class, MctsCurateCommand.class,
                MctsSummaryCommand.class, BenchMctsCommand.class, EditScanCommand.class, EditScanReportCommand.class, ScanLabelsCommand.class,
                TrainRoutersCommand.class, EvalCommand.class, DemoCommand.class,
                TokenizeCommand.class, DetokenizeCommand.class, RenderChatCommand.class, BenchTokenizerCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(null, args);
    }

    /** As {@link #run(String...)} with stderr going to {@code err} (tests), or System.err when null. */
    static int run(java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (err != null) cl.setErr(err);
        UserErrors errors = new UserErrors();
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler; an Error escaping a command would otherwise
            // end in the JVM's multi-line "Exception in thread main"
            return errors.report(e, "drllm", cl.getErr());
        }
    }
}
