package dev.drllm.bench;

import dev.drllm.cuda.BenchShapes;
import dev.drllm.synthetic.RandomCheckpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The speed benchmarks' model: a random-weight checkpoint with Llama-3.2-1B's shapes
 * ({@link BenchShapes} {@code llama-3.2-1b}: hidden 2048, 16 layers, 32 heads, 8 KV heads, head_dim
 * 64, intermediate 8192, vocab 128256, tied embeddings, bf16; ~2.5 GB), written by
 * {@link RandomCheckpoint} (the writer behind {@code drllm bench}), so there is one definition of it.
 * Usage: {@code MakeCheckpoint DIR}. Skips the work if DIR already holds that checkpoint; when it
 * writes a new one it deletes the GGUF twins {@code DIR.*.gguf} beside DIR, made from an older
 * checkpoint, so {@code bench/run.sh} makes them again from this one.
 */
public final class MakeCheckpoint {
    /** The seed of the benchmark checkpoint's weights. */
    public static final long SEED = 2026;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MakeCheckpoint DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        if (!RandomCheckpoint.write(BenchShapes.get("llama-3.2-1b"), dir, SEED)) {
            System.out.println("checkpoint exists: " + dir);
            return;
        }
        System.out.println("checkpoint written: " + dir);
        try (DirectoryStream<Path> twins = Files.newDirectoryStream(dir.getParent(), dir.getFileName() + ".*.gguf")) {
            for (Path twin : twins) {
                Files.delete(twin);
                System.out.println("deleted the GGUF twin of the older checkpoint: " + twin);
            }
        }
    }
}
