package dev.drllm.api;

/**
 * What {@link DrLlm#warmUp(java.time.Duration)} did.
 *
 * @param vectorKernels  whether every CPU kernel family runs its compiled Vector API body (always
 *                       true for a CUDA model: its kernels are compiled ahead of time)
 * @param kernelMs       time spent waiting for the CPU kernels' switch to their vector bodies
 * @param passes         real generations run on the loaded model (32-token prompt, a few tokens)
 * @param firstPassMs    wall time of the first of them
 * @param lastPassMs     wall time of the last one, about what a request of that size costs warm
 * @param totalMs        wall time of the whole warm-up
 * @param settled        false when the timeout ended the warm-up before the pass times settled
 */
public record WarmUp(boolean vectorKernels, double kernelMs, int passes, double firstPassMs, double lastPassMs, double totalMs,
                     boolean settled) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "warm-up: %s kernels after %.0f ms, %d passes (first %.1f ms, last %.1f ms), %.0f ms in all%s",
                vectorKernels ? "vector" : "scalar", kernelMs, passes, firstPassMs, lastPassMs, totalMs, settled ? "" : " (timeout before the times settled)");
    }
}
