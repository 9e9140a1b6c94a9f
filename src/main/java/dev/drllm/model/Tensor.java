package dev.drllm.model;

import dev.drllm.quant.BlockCodec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A named tensor viewed in place in a memory-mapped safetensors file (little endian, row major).
 * Nothing is copied until {@link #toFloatArray()} is asked for.
 */
public record Tensor(Path file, String name, DType dtype, long[] shape, MemorySegment data) {
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public int rank() { return shape.length; }

    public int dim(int i) { return Math.toIntExact(shape[i]); }

    /** Element i (flat index) as a float, whatever the float dtype. */
    public float getFloat(long i) {
        return switch (dtype) {
            case BF16 -> Float.intBitsToFloat((data.get(SHORT_LE, i * 2) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(data.get(SHORT_LE, i * 2));
            case F32 -> data.get(FLOAT_LE, i * 4);
            case F64 -> (float) Double.longBitsToDouble(data.get(LONG_LE, i * 8));
            case I64 -> data.get(LONG_LE, i * 8);
            case I32 -> data.get(INT_LE, i * 4);
            case Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> {
                int bs = dtype.blockSize();
                float[] block = new float[bs];
                BlockCodec.of(dtype).dequantize(data, i / bs * dtype.blockBytes(), block, 0, 1);
                yield block[(int) (i % bs)];
            }
            default -> throw new CheckpointException(file, name, "dtype " + dtype + " cannot be read as float");
        };
    }

    /** Row {@code row} of a matrix ({@code dim(1)} elements) as floats into {@code out[outOff ..]}, for any weight type. */
    public void readRow(long row, float[] out, int outOff) {
        int w = dim(1);
        if (dtype.isQuantized()) {
            BlockCodec.of(dtype).dequantize(data, row * dtype.bytesOf(w), out, outOff, w / dtype.blockSize());
        } else if (dtype == DType.F32) {
            MemorySegment.copy(data, FLOAT_LE, row * w * 4, out, outOff, w);
        } else {
            long base = row * w;
            for (int i = 0; i < w; i++) out[outOff + i] = getFloat(base + i);
        }
    }

    /** Element i as a long (integer tensors such as input ids). */
    public long getLong(long i) {
        return switch (dtype) {
            case I64 -> data.get(LONG_LE, i * 8);
            case I32 -> data.get(INT_LE, i * 4);
            default -> (long) getFloat(i);
        };
    }

    public float[] toFloatArray() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new CheckpointException(file, name, "too large for a float[] (" + n + " elements)");
        float[] out = new float[(int) n];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, FLOAT_LE, 0, out, 0, out.length);
        } else if (dtype.isQuantized()) {
            BlockCodec.of(dtype).dequantize(data, 0, out, 0, out.length / dtype.blockSize());
        } else {
            for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        }
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    /** Throws a typed error unless the shape is exactly {@code expected}. */
    public Tensor requireShape(long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new CheckpointException(file, name, "shape mismatch: expected " + Arrays.toString(expected)
                    + ", found " + Arrays.toString(shape));
        }
        return this;
    }

    /** Throws a typed error unless this is a matrix type the CPU kernels read (float or block-quantized). */
    public Tensor requireMatrix() {
        if (!dtype.isMatrixWeight()) {
            throw new CheckpointException(file, name, "unsupported weight type " + dtype);
        }
        return this;
    }

    public Tensor requireFloat() {
        if (!dtype.isFloatWeight()) {
            throw new CheckpointException(file, name, "unsupported weight dtype " + dtype + " (expected BF16, F16 or F32)");
        }
        return this;
    }

    @Override
    public String toString() {
        return name + dtype + Arrays.toString(shape);
    }
}
