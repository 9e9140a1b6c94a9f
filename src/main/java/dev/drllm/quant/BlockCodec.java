package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.MemorySegment;

/**
 * One block-quantized weight type (ggml's layouts, as GGUF files store them): decoding blocks read
 * in place from a mapped file, and encoding f32 rows into blocks.
 *
 * <p>{@link #dequantize} decodes blocks (with Vector API instructions for the types large models
 * use: Q8_0, Q4_0, Q4_K, Q6_K; a direct transcription of the layout for the others) and is tested
 * against llama.cpp's own decoder; {@link #dot} is the fused decode-and-multiply of a decode step,
 * which never writes the weights out. All offsets are in bytes for the blocks and in elements for
 * the floats; counts are in whole blocks.
 */
public sealed interface BlockCodec permits Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K {
    /** The weight type this codec reads. */
    DType type();

    default int blockSize() { return type().blockSize(); }

    default int blockBytes() { return type().blockBytes(); }

    /** Decodes {@code blocks} blocks at byte {@code off} into {@code out[outOff ..]}. */
    void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks);

    /**
     * Σ w[i] · x[xOff + i] over {@code blocks} blocks at byte {@code off}; {@code tmp} is scratch
     * of at least {@link QuantKernels#TMP} floats. Summation order may differ from
     * dequantize-then-dot (f32 rounding only).
     */
    default float dot(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        return QuantKernels.dotByDecode(this, src, off, x, xOff, blocks, tmp);
    }

    /**
     * y[yOff + o] = W[o, :] · x[xOff .. xOff + in) for rows o in [r0, r1) of the row-major matrix at
     * byte 0 of {@code w}. The default is one {@link #dot} per row (f32 activations); Q4_K
     * quantizes x to 8 bits once per input (not per call: consecutive calls on the same x, the row
     * chunks of one matrix, reuse it, {@link LastInput}) and multiplies in 16-bit integer lanes
     * ({@link Q8Activation}: llama.cpp's scheme, results within Σ|w| · max|x| / 254 of the f32 dot
     * per 256 values); Q6_K lays out its f32 activation the same way.
     */
    default void matvec(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        long rb = type().bytesOf(in);
        int blocks = in / blockSize();
        for (int o = r0; o < r1; o++) y[yOff + o] = dot(w, o * rb, x, xOff, blocks, tmp);
    }

    /** Whether {@link #quantize} is implemented (drllm writes Q8_0, Q4_0, Q5_0, Q4_K and Q6_K). */
    default boolean canQuantize() { return false; }

    /** Encodes {@code blocks} blocks of {@code src[srcOff ..]} at byte {@code off} of {@code dst}. */
    default void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        throw new UnsupportedOperationException("drllm does not write " + type());
    }

    /** The codec of a quantized type; {@link IllegalArgumentException} for a plain type. */
    static BlockCodec of(DType t) {
        return switch (t) {
            case Q8_0 -> Q8_0.INSTANCE;
            case Q4_0 -> Q4_0.INSTANCE;
            case Q4_1 -> Q4_1.INSTANCE;
            case Q5_0 -> Q5_0.INSTANCE;
            case Q5_1 -> Q5_1.INSTANCE;
            case Q4_K -> Q4_K.INSTANCE;
            case Q5_K -> Q5_K.INSTANCE;
            case Q6_K -> Q6_K.INSTANCE;
            default -> throw new IllegalArgumentException(t + " is not a block-quantized type");
        };
    }
}
