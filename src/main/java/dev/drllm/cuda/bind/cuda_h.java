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
 * FFM bindings for cuda.h, in the shape jextract generates (one holder class per function with
 * its descriptor and downcall handle, a static method of the C name, constants as methods).
 * Written by hand: jextract is not installed where drllm is built. jextract/regenerate.sh
 * regenerates the equivalent from jextract/cuda.symbols where it is.
 *
 * Only the exported symbol names are bound: CUDA 13 exports versioned names (cuMemAlloc_v2, ...) that
 * the header's macros would map to. The library (libcuda.so.1) is opened when this class initialises;
 * call {@link dev.drllm.cuda.CudaRuntime#availability()} first, which reports why it cannot be.
 */
@SuppressWarnings({"unused", "checkstyle:MethodName"})
public final class cuda_h {
    private cuda_h() {}

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.libraryLookup("libcuda.so.1", LIBRARY_ARENA);
    public static final AddressLayout C_POINTER = ADDRESS;

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol + " in libcuda.so.1"));
    }

    /** Whether the library exports {@code symbol} (used to report a driver too old for a feature). */
    public static boolean has(String symbol) {
        return SYMBOL_LOOKUP.find(symbol).isPresent();
    }

    public static int CUDA_SUCCESS() { return 0; }
    public static int CUDA_ERROR_NOT_READY() { return 600; }
    public static int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT() { return 16; }
    public static int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR() { return 75; }
    public static int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR() { return 76; }
    public static int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN() { return 97; }
    public static int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES() { return 8; }
    public static int CU_STREAM_NON_BLOCKING() { return 1; }
    public static int CU_STREAM_CAPTURE_MODE_GLOBAL() { return 0; }
    public static int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL() { return 1; }
    public static int CU_STREAM_CAPTURE_MODE_RELAXED() { return 2; }
    public static int CU_EVENT_DEFAULT() { return 0; }
    public static int CU_GRAPH_NODE_TYPE_KERNEL() { return 0; }
    public static int CU_GRAPH_NODE_TYPE_CONDITIONAL() { return 13; }
    public static int CU_GRAPH_COND_TYPE_IF() { return 0; }
    public static int CU_GRAPH_COND_TYPE_WHILE() { return 1; }
    public static int CU_GRAPH_COND_TYPE_SWITCH() { return 2; }
    public static int CU_GRAPH_COND_ASSIGN_DEFAULT() { return 1; }

    /**
     * {@code CUgraphNodeParams} (cuda.h): int type; int reserved0[3]; a 232-byte union (here only
     * {@code CUDA_CONDITIONAL_NODE_PARAMS}: u64 handle, int type, unsigned size, CUgraph* phGraph_out,
     * CUcontext ctx); long long reserved2. 256 bytes, 8-aligned.
     */
    public static final long CUgraphNodeParams_SIZE = 256;
    public static final long CUgraphNodeParams_type = 0;
    public static final long CUgraphNodeParams_conditional_handle = 16;
    public static final long CUgraphNodeParams_conditional_type = 24;
    public static final long CUgraphNodeParams_conditional_size = 28;
    public static final long CUgraphNodeParams_conditional_phGraph_out = 32;
    public static final long CUgraphNodeParams_conditional_ctx = 40;

    private static final class cuInit {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuInit"), DESC);
    }

    public static int cuInit(int Flags) {
        var mh$ = cuInit.HANDLE;
        try {
            return (int) mh$.invokeExact(Flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDriverGetVersion {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDriverGetVersion"), DESC);
    }

    public static int cuDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cuDriverGetVersion.HANDLE;
        try {
            return (int) mh$.invokeExact(driverVersion);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetCount {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDeviceGetCount"), DESC);
    }

    public static int cuDeviceGetCount(MemorySegment count) {
        var mh$ = cuDeviceGetCount.HANDLE;
        try {
            return (int) mh$.invokeExact(count);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGet {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDeviceGet"), DESC);
    }

    public static int cuDeviceGet(MemorySegment device, int ordinal) {
        var mh$ = cuDeviceGet.HANDLE;
        try {
            return (int) mh$.invokeExact(device, ordinal);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetName {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDeviceGetName"), DESC);
    }

    public static int cuDeviceGetName(MemorySegment name, int len, int dev) {
        var mh$ = cuDeviceGetName.HANDLE;
        try {
            return (int) mh$.invokeExact(name, len, dev);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceGetAttribute {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDeviceGetAttribute"), DESC);
    }

    public static int cuDeviceGetAttribute(MemorySegment pi, int attrib, int dev) {
        var mh$ = cuDeviceGetAttribute.HANDLE;
        try {
            return (int) mh$.invokeExact(pi, attrib, dev);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDeviceTotalMem_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDeviceTotalMem_v2"), DESC);
    }

    public static int cuDeviceTotalMem_v2(MemorySegment bytes, int dev) {
        var mh$ = cuDeviceTotalMem_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(bytes, dev);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDevicePrimaryCtxRetain {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDevicePrimaryCtxRetain"), DESC);
    }

    public static int cuDevicePrimaryCtxRetain(MemorySegment pctx, int dev) {
        var mh$ = cuDevicePrimaryCtxRetain.HANDLE;
        try {
            return (int) mh$.invokeExact(pctx, dev);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuDevicePrimaryCtxRelease_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuDevicePrimaryCtxRelease_v2"), DESC);
    }

    public static int cuDevicePrimaryCtxRelease_v2(int dev) {
        var mh$ = cuDevicePrimaryCtxRelease_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dev);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxSetCurrent {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuCtxSetCurrent"), DESC);
    }

    public static int cuCtxSetCurrent(MemorySegment ctx) {
        var mh$ = cuCtxSetCurrent.HANDLE;
        try {
            return (int) mh$.invokeExact(ctx);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuCtxSynchronize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuCtxSynchronize"), DESC);
    }

    public static int cuCtxSynchronize() {
        var mh$ = cuCtxSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGetErrorName {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGetErrorName"), DESC);
    }

    public static int cuGetErrorName(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorName.HANDLE;
        try {
            return (int) mh$.invokeExact(error, pStr);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGetErrorString {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGetErrorString"), DESC);
    }

    public static int cuGetErrorString(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorString.HANDLE;
        try {
            return (int) mh$.invokeExact(error, pStr);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleLoadData {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuModuleLoadData"), DESC);
    }

    public static int cuModuleLoadData(MemorySegment module, MemorySegment image) {
        var mh$ = cuModuleLoadData.HANDLE;
        try {
            return (int) mh$.invokeExact(module, image);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleUnload {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuModuleUnload"), DESC);
    }

    public static int cuModuleUnload(MemorySegment hmod) {
        var mh$ = cuModuleUnload.HANDLE;
        try {
            return (int) mh$.invokeExact(hmod);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuModuleGetFunction {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuModuleGetFunction"), DESC);
    }

    public static int cuModuleGetFunction(MemorySegment hfunc, MemorySegment hmod, MemorySegment name) {
        var mh$ = cuModuleGetFunction.HANDLE;
        try {
            return (int) mh$.invokeExact(hfunc, hmod, name);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuFuncSetAttribute {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuFuncSetAttribute"), DESC);
    }

    public static int cuFuncSetAttribute(MemorySegment hfunc, int attrib, int value) {
        var mh$ = cuFuncSetAttribute.HANDLE;
        try {
            return (int) mh$.invokeExact(hfunc, attrib, value);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuLaunchKernel {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuLaunchKernel"), DESC);
    }

    public static int cuLaunchKernel(MemorySegment f, int gridDimX, int gridDimY, int gridDimZ, int blockDimX, int blockDimY, int blockDimZ, int sharedMemBytes, MemorySegment hStream, MemorySegment kernelParams, MemorySegment extra) {
        var mh$ = cuLaunchKernel.HANDLE;
        try {
            return (int) mh$.invokeExact(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes, hStream, kernelParams, extra);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemAlloc_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemAlloc_v2"), DESC);
    }

    public static int cuMemAlloc_v2(MemorySegment dptr, long bytesize) {
        var mh$ = cuMemAlloc_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dptr, bytesize);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemFree_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemFree_v2"), DESC);
    }

    public static int cuMemFree_v2(long dptr) {
        var mh$ = cuMemFree_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dptr);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemGetInfo_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemGetInfo_v2"), DESC);
    }

    public static int cuMemGetInfo_v2(MemorySegment free, MemorySegment total) {
        var mh$ = cuMemGetInfo_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(free, total);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyHtoD_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemcpyHtoD_v2"), DESC);
    }

    public static int cuMemcpyHtoD_v2(long dstDevice, MemorySegment srcHost, long ByteCount) {
        var mh$ = cuMemcpyHtoD_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoH_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemcpyDtoH_v2"), DESC);
    }

    public static int cuMemcpyDtoH_v2(MemorySegment dstHost, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoH_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoD_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemcpyDtoD_v2"), DESC);
    }

    public static int cuMemcpyDtoD_v2(long dstDevice, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoD_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyHtoDAsync_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemcpyHtoDAsync_v2"), DESC);
    }

    public static int cuMemcpyHtoDAsync_v2(long dstDevice, MemorySegment srcHost, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyHtoDAsync_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount, hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoHAsync_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemcpyDtoHAsync_v2"), DESC);
    }

    public static int cuMemcpyDtoHAsync_v2(MemorySegment dstHost, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoHAsync_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount, hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemcpyDtoDAsync_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemcpyDtoDAsync_v2"), DESC);
    }

    public static int cuMemcpyDtoDAsync_v2(long dstDevice, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoDAsync_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount, hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemsetD8_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemsetD8_v2"), DESC);
    }

    public static int cuMemsetD8_v2(long dstDevice, byte uc, long N) {
        var mh$ = cuMemsetD8_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, uc, N);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuMemsetD32Async {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuMemsetD32Async"), DESC);
    }

    public static int cuMemsetD32Async(long dstDevice, int ui, long N, MemorySegment hStream) {
        var mh$ = cuMemsetD32Async.HANDLE;
        try {
            return (int) mh$.invokeExact(dstDevice, ui, N, hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamCreate"), DESC);
    }

    public static int cuStreamCreate(MemorySegment phStream, int Flags) {
        var mh$ = cuStreamCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(phStream, Flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamDestroy_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamDestroy_v2"), DESC);
    }

    public static int cuStreamDestroy_v2(MemorySegment hStream) {
        var mh$ = cuStreamDestroy_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamSynchronize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamSynchronize"), DESC);
    }

    public static int cuStreamSynchronize(MemorySegment hStream) {
        var mh$ = cuStreamSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamBeginCapture_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamBeginCapture_v2"), DESC);
    }

    public static int cuStreamBeginCapture_v2(MemorySegment hStream, int mode) {
        var mh$ = cuStreamBeginCapture_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream, mode);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamBeginCaptureToGraph {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamBeginCaptureToGraph"), DESC);
    }

    public static int cuStreamBeginCaptureToGraph(MemorySegment hStream, MemorySegment hGraph, MemorySegment dependencies, MemorySegment dependencyData, long numDependencies, int mode) {
        var mh$ = cuStreamBeginCaptureToGraph.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream, hGraph, dependencies, dependencyData, numDependencies, mode);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamGetCaptureInfo_v3 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamGetCaptureInfo_v3"), DESC);
    }

    public static int cuStreamGetCaptureInfo_v3(MemorySegment hStream, MemorySegment captureStatus_out, MemorySegment id_out, MemorySegment graph_out, MemorySegment dependencies_out, MemorySegment edgeData_out, MemorySegment numDependencies_out) {
        var mh$ = cuStreamGetCaptureInfo_v3.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream, captureStatus_out, id_out, graph_out, dependencies_out, edgeData_out, numDependencies_out);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuStreamEndCapture {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuStreamEndCapture"), DESC);
    }

    public static int cuStreamEndCapture(MemorySegment hStream, MemorySegment phGraph) {
        var mh$ = cuStreamEndCapture.HANDLE;
        try {
            return (int) mh$.invokeExact(hStream, phGraph);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuEventCreate"), DESC);
    }

    public static int cuEventCreate(MemorySegment phEvent, int Flags) {
        var mh$ = cuEventCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(phEvent, Flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventRecord {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuEventRecord"), DESC);
    }

    public static int cuEventRecord(MemorySegment hEvent, MemorySegment hStream) {
        var mh$ = cuEventRecord.HANDLE;
        try {
            return (int) mh$.invokeExact(hEvent, hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventSynchronize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuEventSynchronize"), DESC);
    }

    public static int cuEventSynchronize(MemorySegment hEvent) {
        var mh$ = cuEventSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact(hEvent);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventElapsedTime_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuEventElapsedTime_v2"), DESC);
    }

    public static int cuEventElapsedTime_v2(MemorySegment pMilliseconds, MemorySegment hStart, MemorySegment hEnd) {
        var mh$ = cuEventElapsedTime_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(pMilliseconds, hStart, hEnd);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuEventDestroy_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuEventDestroy_v2"), DESC);
    }

    public static int cuEventDestroy_v2(MemorySegment hEvent) {
        var mh$ = cuEventDestroy_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hEvent);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphCreate"), DESC);
    }

    public static int cuGraphCreate(MemorySegment phGraph, int flags) {
        var mh$ = cuGraphCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(phGraph, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphDestroy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphDestroy"), DESC);
    }

    public static int cuGraphDestroy(MemorySegment hGraph) {
        var mh$ = cuGraphDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraph);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphAddNode_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphAddNode_v2"), DESC);
    }

    public static int cuGraphAddNode_v2(MemorySegment phGraphNode, MemorySegment hGraph, MemorySegment dependencies, MemorySegment dependencyData, long numDependencies, MemorySegment nodeParams) {
        var mh$ = cuGraphAddNode_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(phGraphNode, hGraph, dependencies, dependencyData, numDependencies, nodeParams);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphConditionalHandleCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphConditionalHandleCreate"), DESC);
    }

    public static int cuGraphConditionalHandleCreate(MemorySegment pHandle_out, MemorySegment hGraph, MemorySegment ctx, int defaultLaunchValue, int flags) {
        var mh$ = cuGraphConditionalHandleCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(pHandle_out, hGraph, ctx, defaultLaunchValue, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphInstantiateWithFlags {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphInstantiateWithFlags"), DESC);
    }

    public static int cuGraphInstantiateWithFlags(MemorySegment phGraphExec, MemorySegment hGraph, long flags) {
        var mh$ = cuGraphInstantiateWithFlags.HANDLE;
        try {
            return (int) mh$.invokeExact(phGraphExec, hGraph, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphLaunch {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphLaunch"), DESC);
    }

    public static int cuGraphLaunch(MemorySegment hGraphExec, MemorySegment hStream) {
        var mh$ = cuGraphLaunch.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraphExec, hStream);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphExecDestroy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphExecDestroy"), DESC);
    }

    public static int cuGraphExecDestroy(MemorySegment hGraphExec) {
        var mh$ = cuGraphExecDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraphExec);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphNodeSetEnabled {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphNodeSetEnabled"), DESC);
    }

    public static int cuGraphNodeSetEnabled(MemorySegment hGraphExec, MemorySegment hNode, int isEnabled) {
        var mh$ = cuGraphNodeSetEnabled.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraphExec, hNode, isEnabled);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphGetNodes {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphGetNodes"), DESC);
    }

    public static int cuGraphGetNodes(MemorySegment hGraph, MemorySegment nodes, MemorySegment numNodes) {
        var mh$ = cuGraphGetNodes.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraph, nodes, numNodes);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphGetRootNodes {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphGetRootNodes"), DESC);
    }

    public static int cuGraphGetRootNodes(MemorySegment hGraph, MemorySegment rootNodes, MemorySegment numRootNodes) {
        var mh$ = cuGraphGetRootNodes.HANDLE;
        try {
            return (int) mh$.invokeExact(hGraph, rootNodes, numRootNodes);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphNodeGetDependentNodes_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphNodeGetDependentNodes_v2"), DESC);
    }

    public static int cuGraphNodeGetDependentNodes_v2(MemorySegment hNode, MemorySegment dependentNodes, MemorySegment edgeData, MemorySegment numDependentNodes) {
        var mh$ = cuGraphNodeGetDependentNodes_v2.HANDLE;
        try {
            return (int) mh$.invokeExact(hNode, dependentNodes, edgeData, numDependentNodes);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cuGraphNodeGetType {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(findOrThrow("cuGraphNodeGetType"), DESC);
    }

    public static int cuGraphNodeGetType(MemorySegment hNode, MemorySegment type) {
        var mh$ = cuGraphNodeGetType.HANDLE;
        try {
            return (int) mh$.invokeExact(hNode, type);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
