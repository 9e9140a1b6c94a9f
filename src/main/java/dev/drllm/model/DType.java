package dev.drllm.model;

/** Element types drllm reads from safetensors. */
public enum DType {
    BF16(2), F16(2), F32(4), I64(8), I32(4), F64(8), I8(1), U8(1), BOOL(1), I16(2);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }

    /** Whether a weight of this type can feed the float kernels. */
    public boolean isFloatWeight() { return this == BF16 || this == F16 || this == F32; }

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
