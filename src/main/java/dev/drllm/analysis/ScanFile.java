package dev.drllm.analysis;

import dev.drllm.util.DatasetException;
import dev.drllm.util.JsonlAppender;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An edit-scan JSONL file: a {@link ScanHeader} line, then one {@link ScanRecord} per question,
 * appended as each finishes ({@link JsonlAppender}: torn last line repaired, file locked while a
 * run writes it).
 */
public final class ScanFile implements AutoCloseable {
    /** A scan as read back. */
    public record Scan(ScanHeader header, List<ScanRecord> records) {}

    private final JsonlAppender out;

    private ScanFile(JsonlAppender out) {
        this.out = out;
    }

    /**
     * Opens {@code file} for appending: a new (or empty) file gets {@code header}; an existing one
     * must carry the same header, else this is refused. Its records go to {@code existing}.
     */
    public static ScanFile openForAppend(Path file, ScanHeader header, List<ScanRecord> existing) {
        List<JsonlAppender.Line> lines = new ArrayList<>();
        JsonlAppender a = JsonlAppender.open(file, lines, "drllm edit-scan");
        try {
            if (lines.isEmpty()) {
                a.append(header.toJson());
            } else {
                Scan s = parse(lines, file);
                header.requireSameRun(s.header(), file);
                existing.addAll(s.records());
            }
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return new ScanFile(a);
    }

    /** Reads a scan file; a torn last line (a run in progress or killed) is skipped when {@code tolerateTornTail}. */
    public static Scan read(Path file, boolean tolerateTornTail) {
        List<JsonlAppender.Line> lines = JsonlAppender.readAll(file, tolerateTornTail);
        if (lines.isEmpty()) throw new DatasetException(file, 0, "empty: not a drllm edit-scan file");
        return parse(lines, file);
    }

    private static Scan parse(List<JsonlAppender.Line> lines, Path file) {
        ScanHeader h = ScanHeader.fromJson(lines.getFirst().json(), file, lines.getFirst().number());
        List<ScanRecord> rs = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (JsonlAppender.Line l : lines.subList(1, lines.size())) {
            if (ScanHeader.isHeader(l.json())) throw new DatasetException(file, l.number(), "a second header line (files concatenated?)");
            ScanRecord r = ScanRecord.fromJson(l.json(), h, file, l.number());
            // a question twice would count twice in the report and get two labels
            if (!seen.add(r.index())) throw new DatasetException(file, l.number(), "question index " + r.index() + " is there twice");
            rs.add(r);
        }
        return new Scan(h, rs);
    }

    public void append(ScanRecord r) {
        out.append(r.toJson());
    }

    public Path file() { return out.file(); }

    @Override
    public void close() {
        out.close();
    }
}
