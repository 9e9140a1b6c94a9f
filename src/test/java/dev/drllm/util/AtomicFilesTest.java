package dev.drllm.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    /** Outputs get the mode a plain write gives under the process umask (0644 under 022), not a temp file's 0600. */
    @Test
    void modeOfANormalWrite(@TempDir Path tmp) throws IOException {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.writeString(tmp.resolve("plain.txt"), "x");
        Path atomic = tmp.resolve("sub/atomic.txt");
        AtomicFiles.writeString(atomic, "héllo\n");
        assertEquals("héllo\n", Files.readString(atomic));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(atomic));
        AtomicFiles.writeString(atomic, "again");   // replacing keeps it so
        assertEquals(expected, Files.getPosixFilePermissions(atomic));
        assertEquals("again", Files.readString(atomic));
    }

    /** A failing writer leaves the old file as it was and no temporary sibling. */
    @Test
    void failureLeavesNoTrace(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("out.json");
        AtomicFiles.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, os -> {
            os.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var s = Files.list(tmp)) {
            assertTrue(s.allMatch(p -> p.equals(f)), "stray files left");
        }
    }
}
