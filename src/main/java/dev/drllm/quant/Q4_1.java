package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.MemorySegment;

import static dev.drllm.quant.QuantKernels.half;
import static dev.drllm.quant.QuantKernels.u8;

/** Q4_1: blocks of 32 weights, {@code d} and {@code m} (f16), 16 bytes of nibbles as Q4_0; w = d · q + m. */
public final class Q4_1 implements BlockCodec {
    static final Q4_1 INSTANCE = new Q4_1();

    private Q4_1() {}

    @Override
    public DType type() { return DType.Q4_1; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 20L;
            float d = half(src, bo), m = half(src, bo + 2);
            int o = outOff + b * 32;
            for (int j = 0; j < 16; j++) {
                int q = u8(src, bo + 4 + j);
                out[o + j] = (q & 0xF) * d + m;
                out[o + j + 16] = (q >> 4) * d + m;
            }
        }
    }
}
