package dev.drllm.cuda;

import dev.drllm.cuda.bind.cuda_h;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;

/**
 * Whether the CUDA backend can run here, and why not: the driver and cuBLAS libraries are looked up
 * at run time, the kernels come from the fatbin packaged in the JAR (built by native/build.sh when
 * nvcc was present). Probed once; nothing here throws.
 */
public final class CudaRuntime {
    /** Resource path of the kernels built by native/build.sh. */
    public static final String FATBIN = "/dev/drllm/cuda/drllm_kernels.fatbin";

    public record Availability(boolean available, String reason) {}

    private static volatile Availability cached;

    private CudaRuntime() {}

    public static Availability availability() {
        Availability a = cached;
        if (a == null) {
            synchronized (CudaRuntime.class) {
                if (cached == null) cached = probe();
                a = cached;
            }
        }
        return a;
    }

    /** Throws {@link CudaUnavailableException} with the reason unless the backend can run. */
    public static void require() {
        Availability a = availability();
        if (!a.available()) throw new CudaUnavailableException(a.reason());
    }

    private static Availability probe() {
        for (String lib : new String[]{"libcuda.so.1", "libcublas.so.13", "libcublasLt.so.13"}) {
            try {
                SymbolLookup.libraryLookup(lib, Arena.global());
            } catch (IllegalArgumentException e) {
                return new Availability(false, lib + " not found (" + (lib.equals("libcuda.so.1") ? "no NVIDIA driver" : "CUDA 13 cuBLAS not installed") + ")");
            } catch (Throwable e) {
                return new Availability(false, "cannot open " + lib + ": " + e);
            }
        }
        if (fatbin() == null) return new Availability(false, "kernels not built (" + FATBIN + " missing: nvcc was absent at build time)");
        try {
            int rc = cuda_h.cuInit(0);
            if (rc != 0) return new Availability(false, "cuInit failed: " + CudaContext.errorName(rc));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment n = a.allocate(ValueLayout.JAVA_INT);
                rc = cuda_h.cuDeviceGetCount(n);
                if (rc != 0) return new Availability(false, "cuDeviceGetCount failed: " + CudaContext.errorName(rc));
                if (n.get(ValueLayout.JAVA_INT, 0) == 0) return new Availability(false, "no CUDA device");
            }
            for (String sym : new String[]{"cuGraphAddNode_v2", "cuGraphConditionalHandleCreate", "cuGraphNodeSetEnabled", "cuStreamBeginCaptureToGraph"}) {
                if (!cuda_h.has(sym)) return new Availability(false, "driver lacks " + sym + " (CUDA 13 driver needed)");
            }
        } catch (Throwable e) {
            return new Availability(false, "CUDA driver unusable: " + e);
        }
        return new Availability(true, "ok");
    }

    /** The packaged fatbin, or null when the build had no nvcc. */
    static byte[] fatbin() {
        try (InputStream in = CudaRuntime.class.getResourceAsStream(FATBIN)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
