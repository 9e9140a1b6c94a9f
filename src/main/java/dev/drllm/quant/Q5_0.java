package dev.drllm.quant;

import dev.drllm.model.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.drllm.quant.QuantKernels.INT_LE;
import static dev.drllm.quant.QuantKernels.half;
import static dev.drllm.quant.QuantKernels.u8;

/**
 * Q5_0: blocks of 32 weights, {@code d} (f16), 32 high bits (bit j for weight j), 16 bytes of low
 * nibbles as Q4_0; w = d · (q − 16). llama.cpp's Q4_K_M falls back to it for rows that are not a
 * multiple of 256.
 */
public final class Q5_0 implements BlockCodec {
    static final Q5_0 INSTANCE = new Q5_0();

    private Q5_0() {}

    @Override
    public DType type() { return DType.Q5_0; }

    @Override
    public void dequantize(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 22L;
            float d = half(src, bo);
            int qh = src.get(INT_LE, bo + 2);
            int o = outOff + b * 32;
            for (int j = 0; j < 16; j++) {
                int q = u8(src, bo + 6 + j);
                int h0 = (qh >>> j) & 1, h1 = (qh >>> (j + 16)) & 1;
                out[o + j] = d * (((q & 0xF) | (h0 << 4)) - 16);
                out[o + j + 16] = d * (((q >> 4) | (h1 << 4)) - 16);
            }
        }
    }

    @Override
    public boolean canQuantize() { return true; }

    /** ggml's reference quantizer ({@link QuantKernels#quantizeSymmetric}, 32 levels); low nibbles as Q4_0, fifth bits into {@code qh}. */
    @Override
    public void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        int[] q = new int[32];
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 22L;
            QuantKernels.quantizeSymmetric(src, srcOff + b * 32, 32, dst, bo, q);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                dst.set(ValueLayout.JAVA_BYTE, bo + 6 + j, (byte) ((q[j] & 0xF) | ((q[j + 16] & 0xF) << 4)));
                qh |= ((q[j] >> 4) & 1) << j | ((q[j + 16] >> 4) & 1) << (j + 16);
            }
            dst.set(INT_LE, bo + 2, qh);
        }
    }
}
