package dev.drllm.runtime;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.cuda.CudaBackend;
import dev.drllm.model.Model;

import java.util.Locale;

/** Opens the backend a user names with {@code --device}. */
public final class Backends {
    private Backends() {}

    private static boolean quantized(Model m) {
        var w = m.weights();
        if (w.embedTokens().dtype().isQuantized() || w.lmHead().dtype().isQuantized()) return true;
        for (var l : w.layers()) {
            for (var t : new dev.drllm.model.Tensor[]{l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown()}) {
                if (t.dtype().isQuantized()) return true;
            }
        }
        return false;
    }

    public static Backend open(Model model, String device) {
        String d = device == null ? "cpu" : device.toLowerCase(Locale.ROOT).strip();
        return switch (d) {
            case "cpu" -> new CpuBackend(model);
            // throws CudaUnavailableException naming the reason (no driver, no GPU, kernels not built)
            case "cuda" -> {
                if (model.config().ropeInterleaved() || quantized(model)) {
                    throw new IllegalArgumentException(model.dir() + ": GGUF and quantized models run on the CPU backend only (--device cpu); "
                            + "the CUDA backend reads bf16 / f16 / f32 safetensors checkpoints");
                }
                yield new CudaBackend(model);
            }
            default -> throw new IllegalArgumentException("unknown device '" + device + "' (expected cpu or cuda)");
        };
    }
}
