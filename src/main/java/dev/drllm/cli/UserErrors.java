package dev.drllm.cli;

import dev.drllm.api.DrLlmException;
import dev.drllm.util.DatasetException;
import dev.drllm.model.CheckpointException;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.InvalidPathException;
import dev.drllm.tokenizer.TokenizerException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Turns errors caused by the user's input into one line on stderr and exit code 2 (bad option,
 * bad file, bad path, exceeded limit); anything else is a bug and keeps its stack trace (exit
 * code 1). A typed error wrapped by a worker pool or an {@link UncheckedIOException} is found in
 * the cause chain. {@code DRLLM_DEBUG=1} prints the stack trace of user errors too.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int USER_ERROR = 2;
    static final int BUG = 1;

    private final boolean debug;

    UserErrors() {
        this(isSet(System.getenv("DRLLM_DEBUG")));
    }

    UserErrors(boolean debug) { this.debug = debug; }

    private static boolean isSet(String v) {
        return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        return report(ex, cmd.getCommandName(), cmd.getErr());
    }

    /** Option errors (unknown option, missing or malformed value): one line and a pointer to --help, not the whole usage text. */
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = ex.getMessage();
        // picocli checks required options before it reports unmatched ones, so a misspelled required
        // option (--idz for --ids) would read "Missing required option '--ids'": name the typo instead,
        // with the options it is close to (picocli's own suggestions would be further lines)
        java.util.List<String> unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
                : ex instanceof CommandLine.MissingParameterException ? cmd.getUnmatchedArguments() : java.util.List.of();
        if (!unmatched.isEmpty()) message = unknownOption(cmd, unmatched.getFirst());
        err.println(prefix(cmd.getCommandName()) + oneLine(message) + " (see '" + qualifiedName(cmd) + " --help')");
        err.flush();
        return USER_ERROR;
    }

    /** "Unknown option: '--idz'", with the closest option names when picocli finds some. */
    private static String unknownOption(CommandLine cmd, String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String what = name.startsWith("-") ? "Unknown option: '" + name + "'" : "Unmatched argument: '" + name + "'";
        java.util.List<String> close = name.startsWith("-") ? suggestions(cmd, name) : java.util.List.of();
        return close.isEmpty() ? what : what + "; did you mean " + String.join(" or ", close) + "?";
    }

    private static java.util.List<String> suggestions(CommandLine cmd, String name) {
        String bare = name.replaceFirst("^-+", "");
        java.util.List<String> out = new java.util.ArrayList<>();
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            for (String n : o.names()) {
                if (n.startsWith("--") && editDistance(bare, n.substring(2)) <= Math.max(1, bare.length() / 4)) out.add(n);
            }
        }
        return out;
    }

    /** Edits (insert, delete, substitute, swap two neighbours) between a and b: "modle" is one from "model". */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int sub = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    int report(Throwable ex, String command, PrintWriter err) {
        Throwable user = userCause(ex);
        if (user != null) {
            err.println(prefix(command) + describe(user));
            if (debug) ex.printStackTrace(err);
            err.flush();
            return USER_ERROR;
        }
        if (ex instanceof OutOfMemoryError) {
            err.println(prefix(command) + "out of memory (" + oneLine(ex.getMessage())
                    + "); give the JVM more heap, e.g. DRLLM_JAVA_OPTS=-Xmx16g, or lower the limits");
            err.flush();
            return BUG;
        }
        ex.printStackTrace(err);
        err.flush();
        return BUG;
    }

    /** The first user error in the cause chain, or null. */
    static Throwable userCause(Throwable ex) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = ex; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (isUserError(t)) {
                // a wrapper whose message is just its cause (new UncheckedIOException(e)) says less than the cause
                while (t.getCause() != null && isUserError(t.getCause())
                        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
                    t = t.getCause();
                }
                return t;
            }
        }
        return null;
    }

    static boolean isUserError(Throwable ex) {
        return ex instanceof DrLlmException || ex instanceof CheckpointException || ex instanceof ContextLengthException
                || ex instanceof InvalidPathException || ex instanceof IllegalArgumentException || ex instanceof IOException
                || ex instanceof UncheckedIOException || ex instanceof UserException || ex instanceof DatasetException
                || ex instanceof TokenizerException || ex instanceof dev.drllm.cuda.CudaUnavailableException;
    }

    /** The message on one line; the exception's kind when it has none (a bare NoSuchFileException carries only the path). */
    static String describe(Throwable t) {
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) return t.getClass().getSimpleName();
        if (t instanceof java.nio.file.NoSuchFileException) return "no such file: " + oneLine(msg);
        if (t instanceof java.nio.file.AccessDeniedException) return "permission denied: " + oneLine(msg);
        return oneLine(msg);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String prefix(String command) {
        return command == null || command.equals("drllm") ? "drllm: " : "drllm " + command + ": ";
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName() : qualifiedName(cmd.getParent()) + " " + cmd.getCommandName();
    }
}
