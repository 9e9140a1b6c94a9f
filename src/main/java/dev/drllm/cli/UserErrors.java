package dev.drllm.cli;

import dev.drllm.eval.DatasetException;
import dev.drllm.model.CheckpointException;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.InvalidPathException;
import dev.drllm.tokenizer.TokenizerException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns the typed errors of bad input into one line on stderr and exit code 2; anything else is a
 * bug and keeps its stack trace (exit code 1).
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (isUserError(ex)) {
            cmd.getErr().println("drllm " + cmd.getCommandName() + ": " + ex.getMessage());
            return 2;
        }
        ex.printStackTrace(cmd.getErr());
        return 1;
    }

    static boolean isUserError(Throwable ex) {
        return ex instanceof CheckpointException || ex instanceof ContextLengthException || ex instanceof InvalidPathException
                || ex instanceof IllegalArgumentException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof UserException || ex instanceof DatasetException || ex instanceof TokenizerException
                || ex instanceof dev.drllm.cuda.CudaUnavailableException;
    }
}
