package dev.drllm.gguf;

import dev.drllm.model.DType;

/** ggml's tensor type ids as GGUF stores them, and the drllm type each one reads as (null: not read). */
public final class GgmlType {
    private GgmlType() {}

    private static final String[] NAMES = {
        "F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
        "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M",
        "BF16", "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8", "TQ1_0", "TQ2_0", "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4"};

    /** The type's name ("Q4_K"), or "type N" for an id ggml does not define. */
    public static String name(int id) {
        return id >= 0 && id < NAMES.length ? NAMES[id] : "type " + Integer.toUnsignedString(id);
    }

    /** The drllm type of a ggml id, or null when drllm does not read it. */
    public static DType dtype(int id) {
        return switch (id) {
            case 0 -> DType.F32;
            case 1 -> DType.F16;
            case 30 -> DType.BF16;
            case 2 -> DType.Q4_0;
            case 3 -> DType.Q4_1;
            case 6 -> DType.Q5_0;
            case 7 -> DType.Q5_1;
            case 8 -> DType.Q8_0;
            case 12 -> DType.Q4_K;
            case 13 -> DType.Q5_K;
            case 14 -> DType.Q6_K;
            default -> null;
        };
    }

    /** The ggml id of a drllm weight type (the inverse of {@link #dtype}). */
    public static int id(DType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case BF16 -> 30;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q5_0 -> 6;
            case Q5_1 -> 7;
            case Q8_0 -> 8;
            case Q4_K -> 12;
            case Q5_K -> 13;
            case Q6_K -> 14;
            default -> throw new IllegalArgumentException(t + " has no GGUF type");
        };
    }
}
