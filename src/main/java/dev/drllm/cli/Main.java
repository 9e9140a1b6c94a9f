package dev.drllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code drllm <command>}: the command-line front end. User errors print one line and exit non-zero. */
@Command(name = "drllm", mixinStandardHelpOptions = true, version = "drllm 0.1.0",
        description = "Dr.LLM dynamic layer routing for frozen decoder-only LLMs.")
public final class Main {
    /**
     * The subcommands, in help order. Added by {@link #run}: only the one named when the first
     * argument names one (picocli builds its model of a command's options by reflection, ~0.3 s of
     * CPU for all of them at start-up), all of them otherwise (help, usage, typos).
     */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(LogitsCommand.class, GenerateCommand.class, RouterBenchCommand.class,
            MctsCommand.class, MctsMergeCommand.class, MctsCurateCommand.class, MctsSummaryCommand.class, EvalMergeCommand.class, EditScanMergeCommand.class, BenchMctsCommand.class, EditScanCommand.class,
            EditScanReportCommand.class, ScanLabelsCommand.class, TrainRoutersCommand.class, EvalCommand.class, DemoCommand.class,
            TokenizeCommand.class, DetokenizeCommand.class, RenderChatCommand.class, BenchTokenizerCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(null, args);
    }

    /** As {@link #run(String...)} with stderr going to {@code err} (tests), or System.err when null. */
    static int run(java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> named = null;
        for (Class<?> c : COMMANDS) {
            if (args.length > 0 && c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0])) named = c;
        }
        for (Class<?> c : COMMANDS) {
            if (named == null || c == named) cl.addSubcommand(c);
        }
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
