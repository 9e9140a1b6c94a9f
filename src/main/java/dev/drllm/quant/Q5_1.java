package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.MemorySegment;

import static dev.drllm.quant.QuantKernels.INT_LE;
import static dev.drllm.quant.QuantKernels.half;
import static dev.drllm.quant.QuantKernels.u8;

/** Q5_1: blocks of 32 weights, {@code d} and {@code m} (f16), 32 high bits, 16 bytes of low nibbles; w = d · q + m. */
public final class Q5_1 implements BlockCodec {
    static final Q5_1 INSTANCE = new Q5_1();

    private Q5_1() {}

    @Override
    public DType type() { return DType.Q5_1; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 24L;
            float d = half(src, bo), m = half(src, bo + 2);
            int qh = src.get(INT_LE, bo + 4);
            int o = outOff + b * 32;
            for (int j = 0; j < 16; j++) {
                int q = u8(src, bo + 8 + j);
                int h0 = (qh >>> j) & 1, h1 = (qh >>> (j + 16)) & 1;
                out[o + j] = ((q & 0xF) | (h0 << 4)) * d + m;
                out[o + j + 16] = ((q >> 4) | (h1 << 4)) * d + m;
            }
        }
    }
}
