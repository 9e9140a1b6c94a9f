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
