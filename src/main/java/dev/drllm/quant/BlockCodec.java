package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.MemorySegment;

/**
 * One block-quantized weight type (ggml's layouts, as GGUF files store them): decoding blocks read
 * in place from a mapped file, and encoding f32 rows into blocks.
 *
 * <p>{@link #dequantizeScalar} is the reference, a direct transcription of the layout one element
 * at a time; {@link #dequantize} is the Vector API version the kernels use (tested against the
 * reference) and {@link #dot} the fused decode-and-multiply of a decode step, which never writes
 * the weights out. All offsets are in bytes for the blocks and in elements for the floats; counts
 * are in whole blocks.
 */
public sealed interface BlockCodec permits Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K {
    /** The weight type this codec reads. */
    DType type();

    default int blockSize() { return type().blockSize(); }

    default int blockBytes() { return type().blockBytes(); }

    /** Reference decode of {@code blocks} blocks at byte {@code off} into {@code out[outOff ..]}. */
    void dequantizeScalar(MemorySegment src, long off, float[] out, int outOff, int blocks);

    /** The same values as {@link #dequantizeScalar}, with vector instructions where written. */
    default void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        dequantizeScalar(src, off, out, outOff, blocks);
    }

    /**
     * Σ w[i] · x[xOff + i] over {@code blocks} blocks at byte {@code off}; {@code tmp} is scratch
     * of at least {@link QuantKernels#TMP} floats. Summation order may differ from
     * dequantize-then-dot (f32 rounding only).
     */
    default float dot(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        return QuantKernels.dotByDecode(this, src, off, x, xOff, blocks, tmp);
    }

    /**
     * {@code y[yOff + r] =} {@link #dot} of row r for r < {@code rows}, rows {@code rowBytes}
     * apart from byte {@code off}. A codec may run several rows per pass, sharing the
     * activation loads (summation order per row may differ from {@link #dot}, f32 rounding only).
     */
    default void dotRows(MemorySegment src, long off, long rowBytes, int rows, float[] x, int xOff, int blocks, float[] y, int yOff, float[] tmp) {
        for (int r = 0; r < rows; r++) y[yOff + r] = dot(src, off + r * rowBytes, x, xOff, blocks, tmp);
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
