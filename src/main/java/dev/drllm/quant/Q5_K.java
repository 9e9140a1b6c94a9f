package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.MemorySegment;

import static dev.drllm.quant.QuantKernels.half;
import static dev.drllm.quant.QuantKernels.u8;

/**
 * Q5_K: as Q4_K with 32 bytes of fifth bits after the scales ({@code qh}, bit 2j of byte l for
 * weight l of sub-block 2j, bit 2j + 1 for sub-block 2j + 1), then the 128 bytes of nibbles.
 */
public final class Q5_K implements BlockCodec {
    static final Q5_K INSTANCE = new Q5_K();

    private Q5_K() {}

    @Override
    public DType type() { return DType.Q5_K; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 176L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int sm1 = Q4_K.scaleMin(src, bo + 4, 2 * j), sm2 = Q4_K.scaleMin(src, bo + 4, 2 * j + 1);
                float d1 = d * (sm1 & 0xFF), m1 = dmin * (sm1 >> 8), d2 = d * (sm2 & 0xFF), m2 = dmin * (sm2 >> 8);
                int u1 = 1 << (2 * j), u2 = 2 << (2 * j);
                long q = bo + 48 + 32L * j;
                for (int l = 0; l < 32; l++) {
                    int v = u8(src, q + l), h = u8(src, bo + 16 + l);
                    out[o + 64 * j + l] = d1 * ((v & 0xF) + ((h & u1) != 0 ? 16 : 0)) - m1;
                    out[o + 64 * j + 32 + l] = d2 * ((v >> 4) + ((h & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }
}
