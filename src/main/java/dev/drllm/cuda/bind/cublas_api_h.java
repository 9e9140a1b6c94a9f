package dev.drllm.cuda.bind;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/**
 * FFM bindings for cublas_api.h, in the shape jextract generates (one holder class per function with
 * its descriptor and downcall handle, a static method of the C name, constants as methods).
 * Written by hand: jextract is not installed where drllm is built. jextract/regenerate.sh
 * regenerates the equivalent from jextract/cublas_api.symbols where it is.
 *
 * Only the exported symbol names are bound: CUDA 13 exports versioned names (cublasCreate_v2, ...) that
 * the header's macros would map to. The library (libcublas.so.13) is opened when this class initialises;
 * call {@link dev.drllm.cuda.CudaRuntime#availability()} first, which reports why it cannot be.
 */
@SuppressWarnings({"unused", "checkstyle:MethodName"})
public final class cublas_api_h {
    private cublas_api_h() {}

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.libraryLookup("libcublas.so.13", LIBRARY_ARENA);
    public static final AddressLayout C_POINTER = ADDRESS;

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol + " in libcublas.so.13"));
    }

    /** Whether the library exports {@code symbol} (used to report a driver too old for a feature). */
    public static boolean has(String symbol) {
        return SYMBOL_LOOKUP.find(symbol).isPresent();
    }

    public static int CUBLAS_STATUS_SUCCESS() { return 0; }
    public static int CUBLAS_OP_N() { return 0; }
    public static int CUBLAS_OP_T() { return 1; }
    public static int CUDA_R_32F() { return 0; }
    public static int CUDA_R_16BF() { return 14; }
    public static int CUBLAS_COMPUTE_32F() { return 68; }
    public static int CUBLAS_GEMM_DEFAULT() { return -1; }
    public static int CUBLAS_DEFAULT_MATH() { return 0; }

    private static final class cublasCreate_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cublasCreate_v2"), DESC);
    }

    public static int cublasCreate_v2(MemorySegment handle) {
        var mh$ = cublasCreate_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(handle);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasDestroy_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cublasDestroy_v2"), DESC);
    }

    public static int cublasDestroy_v2(MemorySegment handle) {
        var mh$ = cublasDestroy_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(handle);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasSetStream_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cublasSetStream_v2"), DESC);
    }

    public static int cublasSetStream_v2(MemorySegment handle, MemorySegment streamId) {
        var mh$ = cublasSetStream_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, streamId);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasSetMathMode {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cublasSetMathMode"), DESC);
    }

    public static int cublasSetMathMode(MemorySegment handle, int mode) {
        var mh$ = cublasSetMathMode.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, mode);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasSetWorkspace_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cublasSetWorkspace_v2"), DESC);
    }

    public static int cublasSetWorkspace_v2(MemorySegment handle, long workspace, long workspaceSizeInBytes) {
        var mh$ = cublasSetWorkspace_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, workspace, workspaceSizeInBytes);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasGemmEx {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cublasGemmEx"), DESC);
    }

    public static int cublasGemmEx(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, long A, int Atype, int lda, long B, int Btype, int ldb, MemorySegment beta, long C, int Ctype, int ldc, int computeType, int algo) {
        var mh$ = cublasGemmEx.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc, computeType, algo);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
