package dev.drllm.cuda;

import dev.drllm.cuda.bind.cublas_api_h;
import dev.drllm.cuda.bind.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One GPU: the device's primary context, one stream, the kernel module loaded from the packaged
 * fatbin, a cuBLAS handle on that stream, and the memory / launch calls the backend makes. All work
 * goes to the one stream, so kernels and copies are ordered; host copies synchronise it.
 */
public final class CudaContext implements Launcher, AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int device;
    private final MemorySegment ctx;
    private final MemorySegment stream;
    private final MemorySegment module;
    private final MemorySegment cublas;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final KernelArgs args = new KernelArgs(arena);
    private final MemorySegment one, zero;
    private final String name;
    private final int multiprocessors, smemOptin, ccMajor, ccMinor;
    private int launches;
    private boolean closed;

    public CudaContext(int ordinal) {
        CudaRuntime.require();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            MemorySegment i = a.allocate(JAVA_INT);
            check("cuDeviceGet", cuda_h.cuDeviceGet(i, ordinal));
            device = i.get(JAVA_INT, 0);
            MemorySegment nm = a.allocate(256);
            check("cuDeviceGetName", cuda_h.cuDeviceGetName(nm, 256, device));
            name = nm.getString(0);
            multiprocessors = attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT());
            smemOptin = attribute(cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN());
            ccMajor = attribute(cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR());
            ccMinor = attribute(cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR());
            check("cuDevicePrimaryCtxRetain", cuda_h.cuDevicePrimaryCtxRetain(p, device));
            ctx = p.get(ADDRESS, 0);
            bind();
            check("cuStreamCreate", cuda_h.cuStreamCreate(p, cuda_h.CU_STREAM_NON_BLOCKING()));
            stream = p.get(ADDRESS, 0);
            byte[] fat = CudaRuntime.fatbin();
            if (fat == null) throw new CudaUnavailableException("kernels not built");
            MemorySegment image = arena.allocate(fat.length + 1L, 16);
            MemorySegment.copy(fat, 0, image, ValueLayout.JAVA_BYTE, 0, fat.length);
            check("cuModuleLoadData", cuda_h.cuModuleLoadData(p, image));
            module = p.get(ADDRESS, 0);
            check("cublasCreate_v2", cublas_api_h.cublasCreate_v2(p), true);
            cublas = p.get(ADDRESS, 0);
            check("cublasSetStream_v2", cublas_api_h.cublasSetStream_v2(cublas, stream), true);
        }
        for (String k : CudaKernels.NAMES) function(k);
        one = arena.allocate(ValueLayout.JAVA_FLOAT);
        one.set(ValueLayout.JAVA_FLOAT, 0, 1f);
        zero = arena.allocate(ValueLayout.JAVA_FLOAT);
        zero.set(ValueLayout.JAVA_FLOAT, 0, 0f);
    }

    private int attribute(int attr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", cuda_h.cuDeviceGetAttribute(v, attr, device));
            return v.get(JAVA_INT, 0);
        }
    }

    public String deviceName() { return name; }

    @Override
    public int multiprocessors() { return multiprocessors; }

    public String computeCapability() { return ccMajor + "." + ccMinor; }

    public int sharedMemoryOptin() { return smemOptin; }

    public MemorySegment context() { return ctx; }

    public MemorySegment stream() { return stream; }

    /** Kernel launches so far (graph capture counts the nodes a segment adds). */
    public int launches() { return launches; }

    /** Makes this context current on the calling thread (contexts are per thread in the driver API). */
    public void bind() {
        check("cuCtxSetCurrent", cuda_h.cuCtxSetCurrent(ctx));
    }

    static String errorName(int rc) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            if (cuda_h.cuGetErrorName(rc, p) != 0) return "CUresult " + rc;
            String n = p.get(ADDRESS, 0).reinterpret(256).getString(0);
            if (cuda_h.cuGetErrorString(rc, p) == 0) n += ": " + p.get(ADDRESS, 0).reinterpret(1024).getString(0);
            return n;
        } catch (Throwable t) {
            return "CUresult " + rc;
        }
    }

    public static void check(String fn, int rc) {
        if (rc != 0) throw new CudaException(fn, rc, errorName(rc));
    }

    static void check(String fn, int rc, boolean cublasCall) {
        if (rc != 0) throw new CudaException(fn, rc, "cublasStatus_t " + rc);
    }

    // ---- memory -------------------------------------------------------------------------------

    public long alloc(long bytes) {
        bind();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            check("cuMemAlloc_v2(" + bytes + " bytes)", cuda_h.cuMemAlloc_v2(p, Math.max(bytes, 4)));
            return p.get(JAVA_LONG, 0);
        }
    }

    public void free(long ptr) {
        if (ptr == 0 || closed) return;
        bind();
        check("cuMemFree_v2", cuda_h.cuMemFree_v2(ptr));
    }

    public void memsetZero(long ptr, long bytes) {
        if (bytes == 0) return;
        if (bytes % 4 != 0) throw new IllegalArgumentException("memset of " + bytes + " bytes (not a multiple of 4)");
        bind();
        check("cuMemsetD32Async", cuda_h.cuMemsetD32Async(ptr, 0, bytes / 4, stream));
    }

    /** Host (native or heap-backed) memory to device; waits for the stream first so the copy is ordered. */
    public void upload(long dst, MemorySegment src, long bytes) {
        if (bytes == 0) return;
        bind();
        sync();
        if (src.isNative()) {
            check("cuMemcpyHtoD_v2", cuda_h.cuMemcpyHtoD_v2(dst, src, bytes));
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tmp = a.allocate(bytes, 16);
                MemorySegment.copy(src, 0, tmp, 0, bytes);
                check("cuMemcpyHtoD_v2", cuda_h.cuMemcpyHtoD_v2(dst, tmp, bytes));
            }
        }
    }

    public void upload(long dst, float[] src) {
        upload(dst, MemorySegment.ofArray(src), 4L * src.length);
    }

    public void upload(long dst, int[] src) {
        upload(dst, MemorySegment.ofArray(src), 4L * src.length);
    }

    public void upload(long dst, long[] src) {
        upload(dst, MemorySegment.ofArray(src), 8L * src.length);
    }

    public long uploadNew(float[] src) {
        long p = alloc(4L * src.length);
        upload(p, src);
        return p;
    }

    public long uploadNew(int[] src) {
        long p = alloc(4L * src.length);
        upload(p, src);
        return p;
    }

    public void download(MemorySegment dst, long src, long bytes) {
        if (bytes == 0) return;
        bind();
        sync();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tmp = a.allocate(bytes, 16);
            check("cuMemcpyDtoH_v2", cuda_h.cuMemcpyDtoH_v2(tmp, src, bytes));
            MemorySegment.copy(tmp, 0, dst, 0, bytes);
        }
    }

    public float[] downloadFloats(long src, int n) {
        float[] out = new float[n];
        download(MemorySegment.ofArray(out), src, 4L * n);
        return out;
    }

    public int[] downloadInts(long src, int n) {
        int[] out = new int[n];
        download(MemorySegment.ofArray(out), src, 4L * n);
        return out;
    }

    public short[] downloadShorts(long src, int n) {
        short[] out = new short[n];
        download(MemorySegment.ofArray(out), src, 2L * n);
        return out;
    }

    public void copy(long dst, long src, long bytes) {
        if (bytes == 0) return;
        bind();
        check("cuMemcpyDtoDAsync_v2", cuda_h.cuMemcpyDtoDAsync_v2(dst, src, bytes, stream));
    }

    public void sync() {
        check("cuStreamSynchronize", cuda_h.cuStreamSynchronize(stream));
    }

    // ---- kernels ------------------------------------------------------------------------------

    MemorySegment function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ADDRESS);
                check("cuModuleGetFunction(" + k + ")", cuda_h.cuModuleGetFunction(p, module, a.allocateFrom(k)));
                MemorySegment f = p.get(ADDRESS, 0);
                if (k.startsWith("gemv_bf16")) {
                    check("cuFuncSetAttribute(" + k + ")", cuda_h.cuFuncSetAttribute(f,
                            cuda_h.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES(), LaunchGeometry.GEMV_SMEM_LIMIT));
                }
                return f;
            }
        });
    }

    /** The reusable argument packer; fill it, then {@link #launch}. */
    @Override
    public KernelArgs args() {
        return args.reset();
    }

    @Override
    public void launch(String kernel, int gx, int gy, int gz, int block, long smem, KernelArgs a) {
        bind();
        if (gx <= 0 || gy <= 0 || gz <= 0) throw new IllegalArgumentException(kernel + ": empty grid " + gx + "x" + gy + "x" + gz);
        check("cuLaunchKernel(" + kernel + ")", cuda_h.cuLaunchKernel(function(kernel), gx, gy, gz, block, 1, 1,
                Math.toIntExact(smem), stream, a.pointerArray(), MemorySegment.NULL));
        launches++;
    }

    /**
     * Y[T, out] (f32, row stride ldy) = X[T, in] (bf16) · W[out, in]ᵀ (bf16) (+ Y when accumulate), f32
     * accumulation. Row-major operands are cuBLAS's column-major transposes, hence W transposed.
     */
    public void gemm(long x, long w, long y, int tokens, int in, int out, int ldy, boolean accumulate) {
        bind();
        check("cublasGemmEx", cublas_api_h.cublasGemmEx(cublas, cublas_api_h.CUBLAS_OP_T(), cublas_api_h.CUBLAS_OP_N(),
                out, tokens, in, one, w, cublas_api_h.CUDA_R_16BF(), in, x, cublas_api_h.CUDA_R_16BF(), in,
                accumulate ? one : zero, y, cublas_api_h.CUDA_R_32F(), ldy, cublas_api_h.CUBLAS_COMPUTE_32F(),
                cublas_api_h.CUBLAS_GEMM_DEFAULT()), true);
    }

    /** Free device memory in bytes. */
    public long freeMemory() {
        bind();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG), t = a.allocate(JAVA_LONG);
            check("cuMemGetInfo_v2", cuda_h.cuMemGetInfo_v2(f, t));
            return f.get(JAVA_LONG, 0);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        bind();
        try {
            sync();
        } finally {
            cublas_api_h.cublasDestroy_v2(cublas);
            cuda_h.cuModuleUnload(module);
            cuda_h.cuStreamDestroy_v2(stream);
            cuda_h.cuDevicePrimaryCtxRelease_v2(device);
            closed = true;
            arena.close();
        }
    }
}
