package dev.drllm.api;

import java.util.Locale;

/**
 * How {@link DrLlm#load} opens a model.
 *
 * @param device      {@code "cpu"} (default) or {@code "cuda"} where that backend is built in
 * @param threads     CPU worker threads; 0 = one per core (or {@code -Ddrllm.threads}); more than the
 *                    cores is capped at the cores with a warning (extra workers only slow every loop down)
 * @param limits      request limits, see {@link Limits}
 * @param weightCheck which weights are scanned for NaN / infinity at load time
 */
public record LoadOptions(String device, int threads, Limits limits, WeightCheck weightCheck) {
    /**
     * Load-time scan for non-finite weights. Norm weights and biases are small and a single NaN
     * there poisons every token, so they are always worth checking; a full scan reads every byte
     * of the checkpoint (seconds for billions of parameters) and is opt-in. Non-finite values that
     * slip through are still caught as NaN logits ({@link NumericalException}) during generation.
     */
    public enum WeightCheck { NONE, NORMS_AND_BIASES, ALL }

    public LoadOptions {
        device = device == null ? "cpu" : device.strip().toLowerCase(Locale.ROOT);
        if (threads < 0) throw new InvalidRequestException("threads must be >= 0, got " + threads);
        if (limits == null) limits = Limits.defaults();
        if (weightCheck == null) weightCheck = WeightCheck.NORMS_AND_BIASES;
    }

    public static LoadOptions defaults() {
        return new LoadOptions("cpu", 0, Limits.defaults(), WeightCheck.NORMS_AND_BIASES);
    }

    public LoadOptions withDevice(String v) { return new LoadOptions(v, threads, limits, weightCheck); }

    public LoadOptions withThreads(int v) { return new LoadOptions(device, v, limits, weightCheck); }

    public LoadOptions withLimits(Limits v) { return new LoadOptions(device, threads, v, weightCheck); }

    public LoadOptions withWeightCheck(WeightCheck v) { return new LoadOptions(device, threads, limits, v); }
}
