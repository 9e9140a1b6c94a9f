package dev.drllm.kernels;

import dev.drllm.model.DType;

/**
 * How a {@link Matrix} stores its elements. Every type the engine reads from a checkpoint is here:
 * the float types, and GGUF's block-quantized types in ggml's layouts (a row of {@code cols}
 * elements is {@code cols / blockSize()} blocks; {@code cols} must be a multiple of the block size).
 * {@link Kernels#matmul} takes them all; decode streams the blocks, prefill decodes weight tiles.
 */
public enum WeightType {
    /** IEEE single precision, 4 bytes, little endian. */
    F32(DType.F32),
    /** IEEE half precision, 2 bytes, little endian. */
    F16(DType.F16),
    /** bfloat16 (the top 16 bits of an f32), 2 bytes, little endian. */
    BF16(DType.BF16),
    /** Blocks of 32: f16 scale, 32 int8 (34 bytes). */
    Q8_0(DType.Q8_0),
    /** Blocks of 32: f16 scale, 16 bytes of 4-bit values offset by 8 (18 bytes). */
    Q4_0(DType.Q4_0),
    /** Blocks of 32: f16 scale and minimum, 16 bytes of 4-bit values (20 bytes). */
    Q4_1(DType.Q4_1),
    /** Blocks of 32: f16 scale, 32 fifth bits, 4-bit values, offset 16 (22 bytes). */
    Q5_0(DType.Q5_0),
    /** Blocks of 32: f16 scale and minimum, 32 fifth bits, 4-bit values (24 bytes). */
    Q5_1(DType.Q5_1),
    /** Super-blocks of 256: f16 scales, 6-bit sub-block scales and minima, 4-bit values (144 bytes). */
    Q4_K(DType.Q4_K),
    /** As Q4_K with a fifth bit per weight (176 bytes). */
    Q5_K(DType.Q5_K),
    /** Super-blocks of 256: 6-bit values, int8 scales per 16, f16 super-scale (210 bytes). */
    Q6_K(DType.Q6_K);

    private final DType dtype;

    WeightType(DType dtype) { this.dtype = dtype; }

    /** Bytes one row of {@code cols} elements takes (rows are stored back to back, no padding). */
    public long rowBytes(int cols) {
        if (cols % dtype.blockSize() != 0) throw new IllegalArgumentException(this + " rows are whole blocks of " + dtype.blockSize() + ", not " + cols);
        return dtype.bytesOf(cols);
    }

    /** Elements per block: 1 for the float types, 32 or 256 for the quantized ones. */
    public int blockSize() { return dtype.blockSize(); }

    /** Whether {@link Matrix#encode} can write this type (every type but Q4_1, Q5_1 and Q5_K, which are read only). */
    public boolean encodable() { return !dtype.isQuantized() || dev.drllm.quant.BlockCodec.of(dtype).canQuantize(); }

    DType dtype() { return dtype; }

    static WeightType of(DType d) {
        for (WeightType t : values()) if (t.dtype == d) return t;
        throw new IllegalArgumentException("no kernel for weight type " + d);
    }
}
