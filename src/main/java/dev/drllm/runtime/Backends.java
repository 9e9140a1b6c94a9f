package dev.drllm.runtime;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.cuda.CudaBackend;
import dev.drllm.model.Model;

import java.util.Locale;

/** Opens the backend a user names with {@code --device}. */
public final class Backends {
    private Backends() {}

    public static Backend open(Model model, String device) {
        String d = device == null ? "cpu" : device.toLowerCase(Locale.ROOT).strip();
        return switch (d) {
            case "cpu" -> new CpuBackend(model);
            // throws CudaUnavailableException naming the reason (no driver, no GPU, kernels not built)
            case "cuda" -> new CudaBackend(model);
            default -> throw new IllegalArgumentException("unknown device '" + device + "' (expected cpu or cuda)");
        };
    }
}
