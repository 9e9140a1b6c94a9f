package dev.drllm.runtime;

/**
 * A finished generation: the new tokens (the stop token included when one ended it), the path
 * followed, and where the time went. {@code layerExecutions} sums slots over every forward pass
 * (prefill once plus one per decode step), as the paper counts layers.
 */
public record GenerationResult(int[] promptIds, int[] ids, LayerPath path, Object prefillDetails, double prefillMs, double decodeMs,
                               int decodeSteps, StopReason stopReason) {
    public enum StopReason { STOP_TOKEN, MAX_TOKENS, CANCELLED }

    public double decodeTokensPerSecond() {
        return decodeSteps == 0 || decodeMs <= 0 ? 0 : decodeSteps * 1000.0 / decodeMs;
    }

    public long layerExecutions() {
        return (long) path.length() * (1 + decodeSteps);
    }
}
