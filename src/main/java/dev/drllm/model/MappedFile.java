package dev.drllm.model;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opening a weights file (safetensors, GGUF): the whole file mapped read-only into a shared arena
 * that the parsed result owns, closed again when anything fails, so a bad file leaks no mapping.
 */
public final class MappedFile {
    private MappedFile() {}

    /** Parses a mapped image; the result owns {@code arena}. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(Path path, MemorySegment whole, Arena arena);
    }

    /** The format's typed error for a problem of the file as a whole. */
    @FunctionalInterface
    public interface Fault {
        CheckpointException of(Path path, String problem, Throwable cause);
    }

    /**
     * Maps {@code path} and parses it. A file shorter than {@code minSize} bytes is "truncated file:
     * N bytes, {@code needs}"; a missing or unreadable file is a {@code fault} too.
     */
    public static <T> T open(Path path, long minSize, String needs, Fault fault, Parser<T> parser) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < minSize) throw fault.of(path, "truncated file: " + size + " bytes, " + needs, null);
                whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            return parser.parse(path, whole, arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw fault.of(path, "file not found", null);
        } catch (IOException e) {
            arena.close();
            throw fault.of(path, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }
}
