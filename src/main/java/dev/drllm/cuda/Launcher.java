package dev.drllm.cuda;

/**
 * Where {@link CudaKernels} sends its launches: the GPU ({@link CudaContext}), or a recorder in the
 * CPU tests that checks the packed arguments against native/drllm_kernels.h.
 */
public interface Launcher {
    /** The reusable argument packer, reset. */
    KernelArgs args();

    void launch(String kernel, int gx, int gy, int gz, int block, long smem, KernelArgs args);

    int multiprocessors();
}
