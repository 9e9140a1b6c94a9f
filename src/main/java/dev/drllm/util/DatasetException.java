package dev.drllm.util;

import java.nio.file.Path;

/** A dataset file that cannot be used: which file, which line (1-based, 0 = the file itself), what is wrong. */
public final class DatasetException extends RuntimeException {
    private final Path file;
    private final long line;
    private final String problem;

    public DatasetException(Path file, long line, String problem) {
        this(file, line, problem, null);
    }

    public DatasetException(Path file, long line, String problem, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public Path file() { return file; }

    public long line() { return line; }

    /** What is wrong, without the file and line. */
    public String problem() { return problem; }
}
