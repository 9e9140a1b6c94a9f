package dev.drllm.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file outputs (routers, feature caches, reports, label files) written so that a crash never
 * leaves half a file: the bytes go to a new sibling {@code <name>.<random>.tmp}, which is then moved
 * over the target atomically. The sibling is created as any new file is (mode 0666 less the umask,
 * so 0644 under umask 022 — {@code Files.createTempFile} would make it 0600, and the move keeps
 * that), and it is deleted when writing or moving fails.
 */
public final class AtomicFiles {
    /** Writes the file's bytes to a stream. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code file} (parent directories created) from {@code body}, atomically. */
    public static void write(Path file, Body body) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 20)) {
                body.writeTo(os);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code text} as UTF-8 to {@code file}, atomically. */
    public static void writeString(Path file, CharSequence text) throws IOException {
        write(file, os -> os.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
