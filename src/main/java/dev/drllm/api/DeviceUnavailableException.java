package dev.drllm.api;

/** The requested device cannot run here (no driver, no GPU, kernels not built); the message says why. */
public final class DeviceUnavailableException extends DrLlmException {
    public DeviceUnavailableException(String message, Throwable cause) { super(message, cause); }
}
