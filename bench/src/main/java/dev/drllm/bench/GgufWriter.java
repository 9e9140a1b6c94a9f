package dev.drllm.bench;

import dev.drllm.gguf.GgufExport;
import dev.drllm.model.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the GGUF twin of a safetensors checkpoint for the llama.cpp peer run, through the
 * engine's own GGUF writer ({@link GgufExport}, the one behind {@code drllm quantize}): the same
 * weights under llama.cpp's names and layout, in the type asked for, with a placeholder vocabulary
 * (benchmarks feed token ids, never text).
 *
 * <p>Usage: {@code GgufWriter CHECKPOINT_DIR OUT.gguf [bf16|f16|q8_0|q4_0|q4_k_m]} (default bf16). Skips the work when OUT exists.
 */
public final class GgufWriter {
    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: GgufWriter CHECKPOINT_DIR OUT.gguf [bf16|f16|q8_0|q4_0|q4_k_m]");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        if (Files.isRegularFile(out)) {
            System.out.println("gguf exists: " + out);
            return;
        }
        GgufExport.Scheme scheme = GgufExport.Scheme.parse(args.length == 3 ? args[2] : "bf16");
        try (Model m = Model.load(Path.of(args[0]))) {
            GgufExport.write(m, null, scheme, out, null);
        }
        System.out.println("gguf written: " + out);
    }
}
