package dev.drllm.cli;

import dev.drllm.model.Model;
import dev.drllm.quant.LoadQuantizer;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --quantize}: how a command's model is loaded (mixed into every command that loads one). */
final class ModelOptions {
    @Option(names = "--quantize", paramLabel = "TYPE", description = "quantize the matrices at load time: q8_0, q4_0, q5_0, q4_k or q6_k "
            + "(for safetensors checkpoints; GGUF files run in their own types)")
    String quantize;

    /**
     * What identifies the weights a command runs: the files' fingerprint, plus the load-time
     * quantization when asked (a resumed eval or scan must not mix answers of the two).
     */
    String fingerprint(Path path) {
        String f = dev.drllm.model.ModelFingerprint.of(path);
        return quantize == null ? f : f + "+" + LoadQuantizer.parse(quantize).name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A cache directory of per-model files, separate for load-time-quantized weights (their features differ). */
    Path cacheDir(Path base) {
        return quantize == null ? base : base.resolve("quantized-" + LoadQuantizer.parse(quantize).name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The model at {@code path} (checkpoint directory or GGUF file), quantized when asked. */
    Model load(Path path) {
        dev.drllm.model.DType t = null;
        if (quantize != null) {
            try {
                t = LoadQuantizer.parse(quantize);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
        }
        Model m = Model.load(path);
        if (t == null) return m;
        try {
            return LoadQuantizer.quantize(m, t);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
