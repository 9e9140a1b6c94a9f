package dev.drllm.mcts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.eval.DatasetException;
import dev.drllm.util.Json;

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
 * The JSONL result file of a run: one line per finished question, appended and flushed as each
 * finishes, so a killed run loses at most the questions in flight. Reopening reads what is there;
 * a last line cut off by the kill (no newline, or not parseable) is dropped and the file truncated
 * to the last complete line, so a restart recomputes that question once — no loss, no duplicate.
 */
public final class MctsOutput implements AutoCloseable {
    private final Path file;
    private final Writer writer;

    private MctsOutput(Path file, Writer writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens {@code file} for appending after repairing a torn last line; returns the records already
     * in it. The file stays locked while open, so a second run on the same file is refused rather
     * than interleaving lines with this one.
     */
    public static MctsOutput openForAppend(Path file, List<MctsRecord> existing) {
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
            if (lock == null) throw new IllegalArgumentException(file + ": another drllm mcts run is writing this file");
            long keep = read(file, existing, true);
            if (ch.size() > keep) ch.truncate(keep);
            ch.position(keep);
            Writer w = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8));
            return new MctsOutput(file, w);
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

    /** Reads every record of a finished file (a torn last line is skipped when {@code tolerateTornTail}). */
    public static List<MctsRecord> readAll(Path file, boolean tolerateTornTail) {
        List<MctsRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) throw new DatasetException(file, 0, "not a readable file");
        try {
            long keep = read(file, out, tolerateTornTail);
            if (!tolerateTornTail && keep != Files.size(file)) throw new DatasetException(file, out.size() + 1, "truncated last line");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Parses complete lines into {@code out}; returns the byte length of the valid prefix. */
    private static long read(Path file, List<MctsRecord> out, boolean tolerateTornTail) throws IOException {
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
                JsonNode node = null;
                try {
                    node = Json.MAPPER.readTree(text);
                } catch (JacksonException e) {
                    if (!complete && tolerateTornTail) return start;
                    throw new DatasetException(file, lineNo, "not valid JSON: " + e.getOriginalMessage());
                }
                if (!complete && tolerateTornTail) return start; // parseable but unterminated: the newline never made it
                out.add(MctsRecord.fromJson(node, file, lineNo));
            }
            start = complete ? nl + 1 : nl;
        }
        return bytes.length;
    }

    /** Appends one line and flushes it to the file. */
    public synchronized void append(MctsRecord r) {
        try {
            writer.write(Json.MAPPER.writeValueAsString(r.toJson()));
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
