package dev.drllm.mcts;

import dev.drllm.util.JsonlAppender;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONL result file of a run: one line per finished question, appended and flushed as each
 * finishes (see {@link JsonlAppender}: a torn last line is repaired on reopening, and the file is
 * locked while a run writes it).
 */
public final class MctsOutput implements AutoCloseable {
    private final JsonlAppender out;

    private MctsOutput(JsonlAppender out) {
        this.out = out;
    }

    /**
     * Opens {@code file} for appending after repairing a torn last line; returns the records already
     * in it. The file stays locked while open, so a second run on the same file is refused rather
     * than interleaving lines with this one.
     */
    public static MctsOutput openForAppend(Path file, List<MctsRecord> existing) {
        List<JsonlAppender.Line> lines = new ArrayList<>();
        JsonlAppender a = JsonlAppender.open(file, lines, "drllm mcts");
        try {
            for (JsonlAppender.Line l : lines) existing.add(MctsRecord.fromJson(l.json(), file, l.number()));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return new MctsOutput(a);
    }

    /** Reads every record of a finished file (a torn last line is skipped when {@code tolerateTornTail}). */
    public static List<MctsRecord> readAll(Path file, boolean tolerateTornTail) {
        List<MctsRecord> out = new ArrayList<>();
        for (JsonlAppender.Line l : JsonlAppender.readAll(file, tolerateTornTail)) out.add(MctsRecord.fromJson(l.json(), file, l.number()));
        return out;
    }

    /** Appends one line and flushes it to the file. */
    public void append(MctsRecord r) {
        out.append(r.toJson());
    }

    public Path file() { return out.file(); }

    @Override
    public void close() {
        out.close();
    }
}
