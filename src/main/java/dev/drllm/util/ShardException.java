package dev.drllm.util;

import java.nio.file.Path;

/** Shard outputs that do not form one whole run, or a shard output reused for another run: which file, what is wrong. */
public final class ShardException extends IllegalArgumentException {
    private final Path file;

    public ShardException(Path file, String problem) {
        super(file == null ? problem : file + ": " + problem);
        this.file = file;
    }

    /** The shard output (or its manifest) at fault; null when the problem is the set as a whole. */
    public Path file() { return file; }
}
