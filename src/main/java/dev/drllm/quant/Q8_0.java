package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.drllm.quant.QuantKernels.B;
import static dev.drllm.quant.QuantKernels.F;
import static dev.drllm.quant.QuantKernels.LANES;
import static dev.drllm.quant.QuantKernels.LE;
import static dev.drllm.quant.QuantKernels.half;

/** Q8_0: blocks of 32 weights, {@code d} (f16) then 32 int8 {@code q}; w = d · q. */
public final class Q8_0 implements BlockCodec {
    static final Q8_0 INSTANCE = new Q8_0();

    private Q8_0() {}

    @Override
    public DType type() { return DType.Q8_0; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        if (LANES == 4) {
            dequantize4(src, off, out, outOff, blocks);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 34L;
            float d = half(src, bo);
            for (int i = 0; i < 32; i += LANES) {
                ((FloatVector) ByteVector.fromMemorySegment(B, src, bo + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d).intoArray(out, outOff + b * 32 + i);
            }
        }
    }

    /** Fused decode and dot; even and odd blocks feed two accumulators, so a block's scaling FMA never waits on the previous one. */
    @Override
    public float dot(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        if (LANES == 4) return dot4Lanes(src, off, x, xOff, blocks, tmp);
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            long bo = off + b * 34L;
            int xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B, src, bo + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector w1 = (FloatVector) ByteVector.fromMemorySegment(B, src, bo + 36 + i, LE).convertShape(VectorOperators.B2F, F, 0);
                s0 = w0.fma(FloatVector.fromArray(F, x, xo + i), s0);
                s1 = w1.fma(FloatVector.fromArray(F, x, xo + 32 + i), s1);
            }
            acc0 = FloatVector.broadcast(F, half(src, bo)).fma(s0, acc0);
            acc1 = FloatVector.broadcast(F, half(src, bo + 34)).fma(s1, acc1);
        }
        for (; b < blocks; b++) {
            long bo = off + b * 34L;
            int xo = xOff + b * 32;
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < 32; i += LANES) {
                FloatVector w = (FloatVector) ByteVector.fromMemorySegment(B, src, bo + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0);
                s = w.fma(FloatVector.fromArray(F, x, xo + i), s);
            }
            acc0 = FloatVector.broadcast(F, half(src, bo)).fma(s, acc0);
        }
        acc0.add(acc1).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    /**
     * Where vectors are narrower than 512 bits, four adjacent rows are copied to a per-thread array
     * and multiplied from there ({@link #matvecStaged}); with 512-bit vectors the rows are read in
     * place, four streams a quarter of the range apart ({@link #matvecStreams}). Both give every
     * row the same arithmetic, so the same bits.
     */
    @Override
    public void matvec(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        if (STAGED) matvecStaged(w, x, xOff, in, y, yOff, r0, r1, tmp);
        else matvecStreams(w, x, xOff, in, y, yOff, r0, r1, tmp);
    }

    /** Whether {@link #matvec} stages rows through an array (vectors narrower than 512 bits). */
    static final boolean STAGED = LANES < 16;
    /** The calling thread's staging array for four rows ({@link #matvecStaged}). */
    private static final ThreadLocal<byte[][]> STAGE = ThreadLocal.withInitial(() -> new byte[][] {new byte[0]});

    /**
     * Four rows per pass, taken a quarter of the range apart: row r with r + q, r + 2q and r + 3q
     * (q = rows / 4), so the pass reads four independent streams, each walking contiguous rows,
     * and loads each activation vector once for the four. Measured on the 1B shape (2 threads,
     * AVX-512 EPYC): ~22 → ~40 GB/s on the 2048-wide matrices and the LM head, ~17 → ~37 GB/s on
     * the 8192-wide one, against ~16–17 GB/s for four <em>adjacent</em> rows (their streams lie
     * 2 KB apart and share pages). Registers:
     * eight accumulators, one activation vector and a widened weight vector, within AVX2's 16 as
     * well as AVX-512's 32 (on AVX2 a block is four 8-lane vectors instead of two of 16).
     */
    static void matvecStreams(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        long rb = DType.Q8_0.bytesOf(in);
        int blocks = in / 32, q = (r1 - r0) / 4;
        for (int r = r0; r < r0 + q; r++) dot4(w, r * rb, q * rb, x, xOff, blocks, y, yOff + r, q, tmp);
        // the leftover rows through the same arithmetic (a stride of 0 computes one row four times), so
        // a row's value does not depend on how the rows were split among threads
        for (int r = r0 + 4 * q; r < r1; r++) dot4(w, r * rb, 0, x, xOff, blocks, y, yOff + r, 0, tmp);
    }

    /**
     * Four adjacent rows per pass, copied in one bulk copy to a per-thread array and multiplied
     * from it with {@link #matvecStreams}' arithmetic. On an AVX2-only Zen 3 (2026-12-02, 2 threads,
     * 8192 × 2048 from DRAM) {@link #matvecStreams} ran 6.4–6.9 GB/s, compute-bound: ~5.3 GB/s on
     * one thread with the matrix in cache, against ~9 GB/s for the same arithmetic on an array.
     * Four quarter-apart rows copied to an array ran 6.6–7.4 GB/s (copy, then arithmetic: the
     * prefetchers do not run ahead of 2 KB pieces of four streams); four adjacent rows in one
     * 8.7 KB sequential copy 8.1–10.8 GB/s.
     */
    static void matvecStaged(MemorySegment w, float[] x, int xOff, int in, float[] y, int yOff, int r0, int r1, float[] tmp) {
        int rb = (int) DType.Q8_0.bytesOf(in), blocks = in / 32;
        byte[][] stage = STAGE.get();
        if (stage[0].length < 4 * rb) stage[0] = new byte[4 * rb];
        byte[] buf = stage[0];
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            MemorySegment.copy(w, ValueLayout.JAVA_BYTE, (long) r * rb, buf, 0, 4 * rb);
            dot4(buf, rb, x, xOff, blocks, y, yOff + r, 1, tmp);
        }
        // the leftover rows one at a time through the same arithmetic (a stride of 0 computes the row four times)
        for (; r < r1; r++) {
            MemorySegment.copy(w, ValueLayout.JAVA_BYTE, (long) r * rb, buf, 0, rb);
            dot4(buf, 0, x, xOff, blocks, y, yOff + r, 0, tmp);
        }
    }

    /** Rows at {@code off + k · stride} for k < 4 into {@code y[yOff + k · ys]}: one block of each row per step, the activations loaded once. */
    private static void dot4(MemorySegment src, long off, long stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        if (LANES == 4) {
            dot4Lanes4(src, off, stride, x, xOff, blocks, y, yOff, ys, tmp);
            return;
        }
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long o0 = off, o1 = off + stride, o2 = o1 + stride, o3 = o2 + stride;
        for (int b = 0; b < blocks; b++) {
            long bb = b * 34L;
            int xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o0 + bb + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o1 + bb + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o2 + bb + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o3 + bb + 2 + i, LE).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, half(src, o0 + bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, half(src, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, half(src, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, half(src, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, LANES);
        a2.intoArray(tmp, 2 * LANES);
        a3.intoArray(tmp, 3 * LANES);
        y[yOff] = QuantKernels.hsum(tmp, 0);
        y[yOff + ys] = QuantKernels.hsum(tmp, LANES);
        y[yOff + 2 * ys] = QuantKernels.hsum(tmp, 2 * LANES);
        y[yOff + 3 * ys] = QuantKernels.hsum(tmp, 3 * LANES);
    }

    /** {@link #dot4} on rows staged in an array: rows at byte {@code k · stride} of {@code w}, results into {@code y[yOff + k · ys]}. */
    private static void dot4(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        if (LANES == 4) {
            dot4Lanes4(w, stride, x, xOff, blocks, y, yOff, ys, tmp);
            return;
        }
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, halfAt(w, bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, halfAt(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, halfAt(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, halfAt(w, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, LANES);
        a2.intoArray(tmp, 2 * LANES);
        a3.intoArray(tmp, 3 * LANES);
        y[yOff] = QuantKernels.hsum(tmp, 0);
        y[yOff + ys] = QuantKernels.hsum(tmp, LANES);
        y[yOff + 2 * ys] = QuantKernels.hsum(tmp, 2 * LANES);
        y[yOff + 3 * ys] = QuantKernels.hsum(tmp, 3 * LANES);
    }

    /*
     * 4 lanes (128-bit vectors). There is no 32-bit byte vector, so each 16 bytes of q are one load
     * widened in four parts (convertShape B2F, parts 0-3: four 4-lane float vectors); everything
     * else is the arithmetic of the wider paths, in 4-lane vectors.
     */

    /** {@link #dequantize} on 4 lanes. */
    private static void dequantize4(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 34L;
            float d = half(src, bo);
            for (int i = 0; i < 32; i += 16) {
                ByteVector v = ByteVector.fromMemorySegment(B, src, bo + 2 + i, LE);
                int o = outOff + b * 32 + i;
                ((FloatVector) v.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(out, o);
                ((FloatVector) v.convertShape(VectorOperators.B2F, F, 1)).mul(d).intoArray(out, o + 4);
                ((FloatVector) v.convertShape(VectorOperators.B2F, F, 2)).mul(d).intoArray(out, o + 8);
                ((FloatVector) v.convertShape(VectorOperators.B2F, F, 3)).mul(d).intoArray(out, o + 12);
            }
        }
    }

    /** {@link #dot} on 4 lanes: the same two accumulators for even and odd blocks. */
    private static float dot4Lanes(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            long bo = off + b * 34L;
            int xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            for (int i = 0; i < 32; i += 16) {
                ByteVector v0 = ByteVector.fromMemorySegment(B, src, bo + 2 + i, LE), v1 = ByteVector.fromMemorySegment(B, src, bo + 36 + i, LE);
                int x0 = xo + i, x1 = xo + 32 + i;
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, x0), s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, x1), s1);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, x0 + 4), s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, x1 + 4), s1);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, x0 + 8), s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, x1 + 8), s1);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, x0 + 12), s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, x1 + 12), s1);
            }
            acc0 = FloatVector.broadcast(F, half(src, bo)).fma(s0, acc0);
            acc1 = FloatVector.broadcast(F, half(src, bo + 34)).fma(s1, acc1);
        }
        for (; b < blocks; b++) {
            long bo = off + b * 34L;
            int xo = xOff + b * 32;
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < 32; i += 16) {
                ByteVector v = ByteVector.fromMemorySegment(B, src, bo + 2 + i, LE);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + i), s);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, xo + i + 4), s);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, xo + i + 8), s);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, xo + i + 12), s);
            }
            acc0 = FloatVector.broadcast(F, half(src, bo)).fma(s, acc0);
        }
        acc0.add(acc1).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    /**
     * {@link #dot4} on 4 lanes: per 16 bytes of each of the four rows one load, each activation
     * vector loaded once for the four. Registers: four row sums, four block sums, four byte vectors
     * and one activation vector, within x86's 16 and NEON's 32.
     */
    private static void dot4Lanes4(MemorySegment src, long off, long stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long o0 = off, o1 = off + stride, o2 = o1 + stride, o3 = o2 + stride;
        for (int b = 0; b < blocks; b++) {
            long bb = b * 34L;
            int xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += 16) {
                ByteVector v0 = ByteVector.fromMemorySegment(B, src, o0 + bb + 2 + i, LE), v1 = ByteVector.fromMemorySegment(B, src, o1 + bb + 2 + i, LE);
                ByteVector v2 = ByteVector.fromMemorySegment(B, src, o2 + bb + 2 + i, LE), v3 = ByteVector.fromMemorySegment(B, src, o3 + bb + 2 + i, LE);
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
                xv = FloatVector.fromArray(F, x, xo + i + 4);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s3);
                xv = FloatVector.fromArray(F, x, xo + i + 8);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s3);
                xv = FloatVector.fromArray(F, x, xo + i + 12);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, half(src, o0 + bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, half(src, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, half(src, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, half(src, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, 4);
        a2.intoArray(tmp, 8);
        a3.intoArray(tmp, 12);
        y[yOff] = QuantKernels.hsum(tmp, 0);
        y[yOff + ys] = QuantKernels.hsum(tmp, 4);
        y[yOff + 2 * ys] = QuantKernels.hsum(tmp, 8);
        y[yOff + 3 * ys] = QuantKernels.hsum(tmp, 12);
    }

    /**
     * {@link #dot4} on rows staged in an array, on 4 lanes: {@link #dot4Lanes4}'s arithmetic (the same bits).
     */
    private static void dot4Lanes4(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o0 = 0, o1 = stride, o2 = o1 + stride, o3 = o2 + stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34;
            int xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += 16) {
                ByteVector v0 = ByteVector.fromArray(B, w, o0 + bb + 2 + i), v1 = ByteVector.fromArray(B, w, o1 + bb + 2 + i);
                ByteVector v2 = ByteVector.fromArray(B, w, o2 + bb + 2 + i), v3 = ByteVector.fromArray(B, w, o3 + bb + 2 + i);
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
                xv = FloatVector.fromArray(F, x, xo + i + 4);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 1)).fma(xv, s3);
                xv = FloatVector.fromArray(F, x, xo + i + 8);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 2)).fma(xv, s3);
                xv = FloatVector.fromArray(F, x, xo + i + 12);
                s0 = ((FloatVector) v0.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s0);
                s1 = ((FloatVector) v1.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s1);
                s2 = ((FloatVector) v2.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s2);
                s3 = ((FloatVector) v3.convertShape(VectorOperators.B2F, F, 3)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, halfAt(w, o0 + bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, halfAt(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, halfAt(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, halfAt(w, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, 4);
        a2.intoArray(tmp, 8);
        a3.intoArray(tmp, 12);
        y[yOff] = QuantKernels.hsum(tmp, 0);
        y[yOff + ys] = QuantKernels.hsum(tmp, 4);
        y[yOff + 2 * ys] = QuantKernels.hsum(tmp, 8);
        y[yOff + 3 * ys] = QuantKernels.hsum(tmp, 12);
    }

    /** The little-endian half at byte {@code o} of {@code w}. */
    private static float halfAt(byte[] w, int o) {
        return Float.float16ToFloat((short) ((w[o] & 0xFF) | (w[o + 1] << 8)));
    }

    @Override
    public boolean canQuantize() { return true; }

    /** ggml's reference quantizer: d = max|x| / 127, q = round(x / d). */
    @Override
    public void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        for (int b = 0; b < blocks; b++) {
            int so = srcOff + b * 32;
            long bo = off + b * 34L;
            float d = Math.abs(QuantKernels.largestMagnitude(src, so, 32)) / 127f;
            float id = d != 0 ? 1f / d : 0f;
            QuantKernels.putHalf(dst, bo, d);
            for (int i = 0; i < 32; i++) dst.set(ValueLayout.JAVA_BYTE, bo + 2 + i, (byte) QuantKernels.roundAway(src[so + i] * id));
        }
    }
}
