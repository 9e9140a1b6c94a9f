package dev.drllm.model;

/**
 * Element types drllm reads: the safetensors ones, and the block-quantized weight types of GGUF
 * files (ggml's layouts, {@link #blockSize()} elements in {@link #blockBytes()} bytes).
 */
public enum DType {
    BF16(2), F16(2), F32(4), I64(8), I32(4), F64(8), I8(1), U8(1), BOOL(1), I16(2),
    /** 32 weights: an f16 scale and 32 int8. */
    Q8_0(32, 34),
    /** 32 weights: an f16 scale and 32 4-bit values offset by 8. */
    Q4_0(32, 18),
    /** 32 weights: f16 scale and minimum, 32 4-bit values. */
    Q4_1(32, 20),
    /** 32 weights: an f16 scale, 32 fifth bits, 32 4-bit values; offset 16. */
    Q5_0(32, 22),
    /** 32 weights: f16 scale and minimum, 32 fifth bits, 32 4-bit values. */
    Q5_1(32, 24),
    /** 256 weights: f16 super-scale and super-minimum, 8 × 6-bit sub-block scales and minima, 4-bit values. */
    Q4_K(256, 144),
    /** As Q4_K with a fifth bit per weight. */
    Q5_K(256, 176),
    /** 256 weights: 6-bit values offset by 32, 16 int8 sub-block scales, an f16 super-scale. */
    Q6_K(256, 210);

    private final int blockSize;
    private final int blockBytes;

    DType(int bytes) { this(1, bytes); }

    DType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Bytes per element of an unquantized type; for a block type, the bytes of one block. */
    public int bytes() { return blockBytes; }

    /** Elements per block: 1 for plain types. */
    public int blockSize() { return blockSize; }

    /** Bytes per block (per element for plain types). */
    public int blockBytes() { return blockBytes; }

    public boolean isQuantized() { return blockSize > 1; }

    /**
     * Bytes of {@code elements} elements, {@code elements} a multiple of the block size.
     *
     * @throws ArithmeticException on overflow
     */
    public long bytesOf(long elements) {
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }

    /** Whether a weight of this type can feed the float kernels. */
    public boolean isFloatWeight() { return this == BF16 || this == F16 || this == F32; }

    /** Whether the CPU kernels read matrices of this type (float or block-quantized). */
    public boolean isMatrixWeight() { return isFloatWeight() || isQuantized(); }

    /** Parses the safetensors dtype spelling; null when unknown. */
    public static DType parse(String s) {
        return switch (s) {
            case "BF16" -> BF16;
            case "F16" -> F16;
            case "F32" -> F32;
            case "F64" -> F64;
            case "I64" -> I64;
            case "I32" -> I32;
            case "I16" -> I16;
            case "I8" -> I8;
            case "U8" -> U8;
            case "BOOL" -> BOOL;
            default -> null;
        };
    }
}
