package dev.drllm.cli;

import dev.drllm.util.IntList;

import java.nio.file.Path;

/** Parsing helpers for list-valued options. */
final class Args {
    private Args() {}

    /**
     * A text option as the user typed it. The JVM decodes arguments with the locale's charset
     * ({@code sun.jnu.encoding}); bytes that charset cannot decode arrive as U+FFFD, and encoding
     * those would tokenize replacement characters instead of the user's text, silently.
     */
    static String text(String option, String value) {
        return text(option, value, System.getProperty("sun.jnu.encoding", "UTF-8"));
    }

    static String text(String option, String value, String charset) {
        if (value != null && value.indexOf('\uFFFD') >= 0 && !charset.replace("-", "").equalsIgnoreCase("UTF8")) {
            throw new UserException(option + " has characters the locale's charset " + charset
                    + " cannot decode; use a UTF-8 locale (e.g. LC_ALL=C.UTF-8) or give the text in a UTF-8 file");
        }
        return value;
    }

    /**
     * Creates {@code dir} (and its parents) for a command that writes its results only at the end,
     * so that an unusable output location fails before the work, not after it.
     */
    static void outputDir(String option, Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
        if (existing != null && !java.nio.file.Files.isDirectory(existing)) {
            throw new UserException(option + " " + dir + ": cannot create the directory (" + existing + " is a file)");
        }
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserException(option + " " + dir + ": cannot create the directory (" + UserErrors.describe(e) + ")");
        }
        if (!java.nio.file.Files.isWritable(dir)) throw new UserException(option + " " + dir + ": the directory is not writable");
    }

    /**
     * Refuses an output file option that names a directory, before the work: the write at the end
     * would fail with a bare "Is a directory" (after minutes of work, or after printing a report).
     */
    static void outputFile(String option, Path file) {
        if (file != null && java.nio.file.Files.isDirectory(file)) {
            throw new UserException(option + " " + file + " is a directory; name the file to write");
        }
    }

    /** Refuses a merge's output that is one of its inputs (the merge would overwrite what it reads) or a directory. */
    static void mergeOutput(String option, Path out, java.util.List<Path> inputs) {
        outputFile(option, out);
        for (Path p : inputs) {
            if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) throw new UserException(option + " must differ from the inputs: " + p);
        }
    }

    /** "1,2,3" → {1, 2, 3}. */
    static int[] ids(String text) {
        return IntList.parse(text, part -> new UserException("'" + part + "' is not a token id"));
    }

    /**
     * The layer path of a {@code --path} option for a model of {@code numLayers}. An empty one is
     * refused: it would run no block at all (embedding straight into the LM head), and generate used
     * to print 64 spaces for it with exit 0.
     */
    static dev.drllm.runtime.LayerPath path(int numLayers, String text) {
        if (text.isBlank()) throw new UserException("--path '" + text + "' has no layers: give at least one layer index, e.g. 0,1,1,3 (omit --path to run every layer once)");
        return dev.drllm.runtime.LayerPath.parse(numLayers, text);
    }
}
