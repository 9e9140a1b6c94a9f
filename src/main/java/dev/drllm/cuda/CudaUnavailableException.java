package dev.drllm.cuda;

/** {@code --device cuda} on a machine where the CUDA backend cannot run; the message says why. */
public class CudaUnavailableException extends IllegalStateException {
    public CudaUnavailableException(String reason) {
        super("the cuda device is unavailable: " + reason);
    }
}
