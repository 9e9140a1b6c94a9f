package dev.drllm.cli;

import dev.drllm.api.DrLlmException;
import dev.drllm.eval.DatasetException;
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
        err.println(prefix(cmd.getCommandName()) + oneLine(ex.getMessage()) + " (see '" + qualifiedName(cmd) + " --help')");
        err.flush();
        return USER_ERROR;
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
