package dev.drllm.cli;

import dev.drllm.gguf.GgufExport;
import dev.drllm.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code drllm quantize}: a checkpoint written as a GGUF file llama.cpp and drllm run. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Write a Hugging Face checkpoint as a GGUF file (F32, F16, BF16, Q8_0, Q4_0 or Q4_K_M) that llama.cpp and drllm load.")
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory (its tokenizer.json is embedded when present)") Path model;
    @Option(names = "--type", required = true, description = "f32, f16, bf16, q8_0, q4_0 or q4_k_m") String type;
    @Option(names = "--out", required = true, description = "the GGUF file to write (replaced when it exists)") Path out;
    @Option(names = "--quiet", description = "no per-tensor progress lines") boolean quiet;

    @Override
    public Integer call() throws Exception {
        GgufExport.Scheme scheme;
        try {
            scheme = GgufExport.Scheme.parse(type);
        } catch (IllegalArgumentException e) {
            throw new UserException("--type: " + e.getMessage());
        }
        if (Files.isDirectory(out)) throw new UserException("--out " + out + " is a directory; give a file name");
        long t0 = System.nanoTime();
        try (Model m = Model.load(model)) {
            Path tokDir = Files.isDirectory(model) ? model : null;
            try {
                GgufExport.write(m, tokDir, scheme, out, quiet ? null : System.err::println);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "wrote %s (%s, %.1f MB) in %.1f s%n", out, scheme.name().toLowerCase(Locale.ROOT),
                Files.size(out) / 1e6, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
