package dev.drllm.kernels;

import dev.drllm.model.DType;

/**
 * How a {@link Matrix} stores its elements. Every type the engine reads from a checkpoint is here;
 * as the engine learns more (GGUF's block-quantized Q8_0, Q4_0, Q4_K, Q6_K), they are added as
 * constants with their row layout in {@link #rowBytes}, and {@link Kernels#matmul} takes them with
 * no change to callers.
 */
public enum WeightType {
    /** IEEE single precision, 4 bytes, little endian. */
    F32(DType.F32),
    /** IEEE half precision, 2 bytes, little endian. */
    F16(DType.F16),
    /** bfloat16 (the top 16 bits of an f32), 2 bytes, little endian. */
    BF16(DType.BF16);

    private final DType dtype;

    WeightType(DType dtype) { this.dtype = dtype; }

    /** Bytes one row of {@code cols} elements takes (rows are stored back to back, no padding). */
    public long rowBytes(int cols) { return (long) cols * dtype.bytes(); }

    DType dtype() { return dtype; }

    static WeightType of(DType d) {
        for (WeightType t : values()) if (t.dtype == d) return t;
        throw new IllegalArgumentException("no kernel for weight type " + d);
    }
}
