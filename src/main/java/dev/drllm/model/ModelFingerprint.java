package dev.drllm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What identifies a base model's weights: SHA-256 over {@code config.json} (when there is one) and
 * every byte of its weight files (each {@code *.safetensors}, {@code *.safetensors.index.json} and
 * {@code *.gguf} of the directory, by name, except router files, which do not change the base's
 * hidden states). Resumable jobs
 * (eval, edit-scan) and the router feature cache are keyed by it, so a retrained model of the same
 * shape and file sizes is never mistaken for the old one. Hashing streams the files once (about a
 * second per GB on a current core), small next to what the jobs it guards compute.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    /** The weight files a fingerprint covers, sorted by name. */
    public static List<Path> weightFiles(Path modelDir) throws IOException {
        try (var s = Files.list(modelDir)) {
            return s.filter(f -> {
                String n = f.getFileName().toString();
                return !n.startsWith("routers") && (n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json") || n.endsWith(".gguf"));
            }).sorted().toList();
        }
    }

    /** The fingerprint of {@code modelDir}, 32 hex digits. */
    public static String of(Path modelDir) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Path config = modelDir.resolve("config.json");
            if (Files.isRegularFile(config)) md.update(Files.readAllBytes(config));
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            for (Path f : weightFiles(modelDir)) {
                md.update((f.getFileName() + ":" + Files.size(f) + ";").getBytes(StandardCharsets.UTF_8));
                try (FileChannel ch = FileChannel.open(f)) {
                    while (ch.read(buf.clear()) > 0) md.update(buf.flip());
                }
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(modelDir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
