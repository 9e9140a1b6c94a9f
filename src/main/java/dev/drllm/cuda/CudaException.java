package dev.drllm.cuda;

/** A failed CUDA driver or cuBLAS call: which function, and the error the library returned. */
public class CudaException extends RuntimeException {
    private final String function;
    private final int code;

    public CudaException(String function, int code, String detail) {
        super(function + " failed: " + detail + " (" + code + ")");
        this.function = function;
        this.code = code;
    }

    public String function() { return function; }

    public int code() { return code; }
}
