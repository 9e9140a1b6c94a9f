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
import static dev.drllm.quant.QuantKernels.u8;

/**
 * Q4_0: blocks of 32 weights, {@code d} (f16) then 16 bytes; byte j holds weight j in its low
 * nibble and weight j + 16 in its high nibble; w = d · (q − 8).
 */
public final class Q4_0 implements BlockCodec {
    static final Q4_0 INSTANCE = new Q4_0();

    private Q4_0() {}

    @Override
    public DType type() { return DType.Q4_0; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        if (LANES == 4) {
            dequantize4(src, off, out, outOff, blocks);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 18L;
            float d = half(src, bo);
            int o = outOff + b * 32;
            for (int c = 0; c < 16; c += LANES) {
                ByteVector v = ByteVector.fromMemorySegment(B, src, bo + 2 + c, LE);
                ((FloatVector) v.and((byte) 0xF).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(out, o + c);
                ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(out, o + 16 + c);
            }
        }
    }

    @Override
    public float dot(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        if (LANES == 4) return dot4(src, off, x, xOff, blocks, tmp);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 18L;
            int xo = xOff + b * 32;
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < 16; c += LANES) {
                ByteVector v = ByteVector.fromMemorySegment(B, src, bo + 2 + c, LE);
                FloatVector lo = (FloatVector) v.and((byte) 0xF).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
                s = lo.fma(FloatVector.fromArray(F, x, xo + c), s);
                s = hi.fma(FloatVector.fromArray(F, x, xo + 16 + c), s);
            }
            acc = FloatVector.broadcast(F, half(src, bo)).fma(s, acc);
        }
        acc.intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    /*
     * 4 lanes (128-bit vectors): a block's 16 nibble bytes are one load (there is no 32-bit byte
     * vector); low and high nibbles are split in byte lanes and each widened in four parts
     * (convertShape B2F, parts 0-3).
     */

    /** {@link #dequantize} on 4 lanes. */
    private static void dequantize4(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 18L;
            float d = half(src, bo);
            int o = outOff + b * 32;
            ByteVector v = ByteVector.fromMemorySegment(B, src, bo + 2, LE);
            ByteVector lo = v.and((byte) 0xF).sub((byte) 8), hi = v.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
            ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(out, o);
            ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 1)).mul(d).intoArray(out, o + 4);
            ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 2)).mul(d).intoArray(out, o + 8);
            ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 3)).mul(d).intoArray(out, o + 12);
            ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(out, o + 16);
            ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 1)).mul(d).intoArray(out, o + 20);
            ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 2)).mul(d).intoArray(out, o + 24);
            ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 3)).mul(d).intoArray(out, o + 28);
        }
    }

    /** {@link #dot} on 4 lanes. */
    private static float dot4(MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 18L;
            int xo = xOff + b * 32;
            ByteVector v = ByteVector.fromMemorySegment(B, src, bo + 2, LE);
            ByteVector lo = v.and((byte) 0xF).sub((byte) 8), hi = v.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
            FloatVector s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, x, xo));
            s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + 16), s);
            s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, xo + 4), s);
            s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, xo + 20), s);
            s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, xo + 8), s);
            s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, xo + 24), s);
            s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, xo + 12), s);
            s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, xo + 28), s);
            acc = FloatVector.broadcast(F, half(src, bo)).fma(s, acc);
        }
        acc.intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    @Override
    public boolean canQuantize() { return true; }

    /** ggml's reference quantizer ({@link QuantKernels#quantizeSymmetric}, 16 levels); byte j packs q[j] and q[j + 16]. */
    @Override
    public void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        int[] q = new int[32];
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 18L;
            QuantKernels.quantizeSymmetric(src, srcOff + b * 32, 16, dst, bo, q);
            for (int j = 0; j < 16; j++) dst.set(ValueLayout.JAVA_BYTE, bo + 2 + j, (byte) (q[j] | (q[j + 16] << 4)));
        }
    }
}
