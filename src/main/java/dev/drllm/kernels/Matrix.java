package dev.drllm.kernels;

import dev.drllm.model.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A read-only weight matrix W [rows, cols], row-major, in native memory (a mapped checkpoint or
 * any {@link MemorySegment}): row r starts at byte {@code r · type.rowBytes(cols)}. Nothing is
 * copied: the kernels read the segment in place, so it must stay alive (its arena open) while the
 * matrix is used, and be readable by a {@link Workspace}'s worker threads when it has more than
 * one (a shared, automatic or global arena, or a mapped file; a confined arena's memory fails
 * with {@link WrongThreadException}). Immutable and safe to share between threads.
 */
public final class Matrix {
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Tensor tensor;
    private final WeightType type;

    private Matrix(Tensor tensor, WeightType type) {
        this.tensor = tensor;
        this.type = type;
    }

    /**
     * Views {@code data} as W [rows, cols] of {@code type}.
     *
     * @throws IllegalArgumentException a non-positive size, or a segment shorter than rows · rowBytes(cols)
     */
    public static Matrix of(MemorySegment data, WeightType type, int rows, int cols) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("matrix sizes must be positive: " + rows + " × " + cols);
        long need = rows * type.rowBytes(cols);
        if (data.byteSize() < need) {
            throw new IllegalArgumentException(rows + " × " + cols + " " + type + " needs " + need + " bytes, the segment has " + data.byteSize());
        }
        return new Matrix(new Tensor(Path.of("memory"), "matrix", type.dtype(), new long[] {rows, cols}, data.asSlice(0, need)), type);
    }

    /**
     * Encodes {@code values} (row-major, rows · cols floats) as {@code type} (F16 / BF16 round to
     * nearest even) into new native memory owned by {@code arena}.
     */
    public static Matrix encode(float[] values, int rows, int cols, WeightType type, Arena arena) {
        if ((long) rows * cols != values.length) throw new IllegalArgumentException(values.length + " values for " + rows + " × " + cols);
        MemorySegment seg = arena.allocate(Math.max(1, rows * type.rowBytes(cols)), 64);
        for (int i = 0; i < values.length; i++) {
            switch (type) {
                case F32 -> seg.set(FLOAT_LE, i * 4L, values[i]);
                case F16 -> seg.set(SHORT_LE, i * 2L, Float.floatToFloat16(values[i]));
                case BF16 -> seg.set(SHORT_LE, i * 2L, dev.drllm.model.SafetensorsWriter.toBf16(values[i]));
            }
        }
        return of(seg, type, rows, cols);
    }

    public WeightType type() { return type; }

    public int rows() { return tensor.dim(0); }

    public int cols() { return tensor.dim(1); }

    /** Element (r, c) widened to f32 (for checks; the kernels never call this). */
    public float get(int r, int c) {
        return tensor.getFloat((long) r * cols() + c);
    }

    Tensor tensor() { return tensor; }
}
