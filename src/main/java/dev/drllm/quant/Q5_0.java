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
    public void dequantizeScalar(MemorySegment src, long off, float[] out, int outOff, int blocks) {
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

    /** ggml's reference quantizer: d = (the value of largest magnitude) / −16, q = min(31, trunc(x / d + 16.5)). */
    @Override
    public void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long off) {
        for (int b = 0; b < blocks; b++) {
            int so = srcOff + b * 32;
            long bo = off + b * 22L;
            float amax = 0, max = 0;
            for (int i = 0; i < 32; i++) {
                float v = src[so + i];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -16f;
            float id = d != 0 ? 1f / d : 0f;
            QuantKernels.putHalf(dst, bo, d);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(31, (int) (byte) (int) (src[so + j] * id + 16.5f));
                int q1 = Math.min(31, (int) (byte) (int) (src[so + j + 16] * id + 16.5f));
                dst.set(ValueLayout.JAVA_BYTE, bo + 6 + j, (byte) ((q0 & 0xF) | ((q1 & 0xF) << 4)));
                qh |= ((q0 >> 4) & 1) << j;
                qh |= ((q1 >> 4) & 1) << (j + 16);
            }
            dst.set(INT_LE, bo + 2, qh);
        }
    }
}
