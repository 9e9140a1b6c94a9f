package dev.drllm.util;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.DatasetException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSONL result file written by a long job: one line per finished item, appended and flushed as
 * each finishes, so a killed run loses at most the items in flight. Reopening reads what is there;
 * a last line cut off by the kill (no newline, or not parseable) is dropped and the file truncated
 * to the last complete line, so a restart recomputes that item once — no loss, no duplicate. The
 * file stays locked while open, so a second run on it is refused rather than interleaving lines.
 */
public final class JsonlAppender implements AutoCloseable {
    /** One complete line of the file: its 1-based number and its JSON value. */
    public record Line(long number, JsonNode json) {}

    private final Path file;
    private final Writer writer;

    private JsonlAppender(Path file, Writer writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens {@code file} (created when missing) for appending after repairing a torn last line; the
     * complete lines already there go to {@code existing}. {@code job} names the writer in the
     * refusal message ("another drllm mcts run is writing this file").
     */
    public static JsonlAppender open(Path file, List<Line> existing, String job) {
        FileChannel ch = null;
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) throw new IllegalArgumentException(file + ": another " + job + " run is writing this file");
            long keep = read(file, existing, true);
            if (ch.size() > keep) ch.truncate(keep);
            ch.position(keep);
            return new JsonlAppender(file, new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }

    /** Every complete line of a file (a torn last line is skipped when {@code tolerateTornTail}, else an error). */
    public static List<Line> readAll(Path file, boolean tolerateTornTail) {
        List<Line> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) throw new DatasetException(file, 0, "not a readable file");
        try {
            long keep = read(file, out, tolerateTornTail);
            if (!tolerateTornTail && keep != Files.size(file)) {
                throw new DatasetException(file, out.isEmpty() ? 1 : out.getLast().number() + 1, "truncated last line");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Parses complete non-blank lines into {@code out}; returns the byte length of the valid prefix. */
    private static long read(Path file, List<Line> out, boolean tolerateTornTail) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long lineNo = 0;
        int start = 0;
        while (start < bytes.length) {
            int nl = start;
            while (nl < bytes.length && bytes[nl] != '\n') nl++;
            lineNo++;
            boolean complete = nl < bytes.length;
            String text = new String(bytes, start, nl - start, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(text);
                } catch (JacksonException e) {
                    if (!complete && tolerateTornTail) return start;
                    throw new DatasetException(file, lineNo, "not valid JSON: " + Json.message(e));
                }
                if (!complete && tolerateTornTail) return start; // parseable but unterminated: the newline never made it
                out.add(new Line(lineNo, node));
            }
            start = complete ? nl + 1 : nl;
        }
        return bytes.length;
    }

    /** Appends one line and flushes it to the file. */
    public synchronized void append(JsonNode line) {
        try {
            writer.write(Json.MAPPER.writeValueAsString(line));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    public Path file() { return file; }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
