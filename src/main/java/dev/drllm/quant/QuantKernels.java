package dev.drllm.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What the block codecs share: the vector species (the CPU kernels' float species and a byte
 * species of the same lane count, so one byte load widens to one float vector), half-precision
 * reads and the fixed-order lane sum. The rules of {@code dev.drllm.cpu.CpuKernels} apply here
 * too: no vector crosses a method boundary in a hot loop, lanes are summed in a fixed order.
 */
public final class QuantKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() <= 16 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;
    static final int LANES = F.length();
    /**
     * Bytes of {@link #LANES} lanes (one load widens to one float vector) on 8 and 16 lanes. With
     * 128-bit vectors (4 float lanes: ARM NEON, or x86 under {@code -XX:MaxVectorSize=16}) no 32-bit
     * shape exists, so B is the 128-bit byte species there: one 16-byte load widens to four float
     * vectors ({@code convertShape} parts 0–3). The kernels' 4-lane paths are taken only when
     * {@code LANES == 4} (a static final: C2 folds the branch away on the other widths).
     */
    static final VectorSpecies<Byte> B = LANES >= 8 ? ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LANES * 8)) : ByteVector.SPECIES_128;
    /** Int lanes of the float species' shape: a byte load widened to ints, then converted to floats. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Floats of scratch {@link BlockCodec#dot} may use: one 256-weight super-block plus a lane-sum area. */
    public static final int TMP = 256 + 16;

    private QuantKernels() {}

    static float half(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(SHORT_LE, off));
    }

    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** Generic {@link BlockCodec#dot}: decode up to 256 weights into {@code tmp}, multiply, repeat. */
    static float dotByDecode(BlockCodec c, MemorySegment src, long off, float[] x, int xOff, int blocks, float[] tmp) {
        int bs = c.blockSize(), per = Math.max(1, 256 / bs), bb = c.blockBytes();
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b += per) {
            int n = Math.min(per, blocks - b);
            c.dequantize(src, off + (long) b * bb, tmp, 0, n);
            int xo = xOff + b * bs;
            for (int i = 0; i < n * bs; i += LANES) acc = FloatVector.fromArray(F, tmp, i).fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        acc.intoArray(tmp, 256);
        return hsum(tmp, 256);
    }

    /** Sum of red[off .. off + LANES) in a fixed pairwise order. */
    static float hsum(float[] red, int off) {
        for (int h = LANES / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) red[off + i] += red[off + i + h];
        }
        return red[off];
    }

    /** C's roundf: half away from zero (ggml's Q8_0 quantizer). */
    static int roundAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs(v) + 0.5f), v);
    }

    /** ggml's nearest_int: round half to even (the K-quant quantizers). */
    static int nearestEven(float v) {
        return (int) Math.rint(v);
    }

    /** The value of largest magnitude in {@code x[off .. off + n)}, the first of a tie, 0 when all are 0 (ggml's reference quantizers scale by it). */
    static float largestMagnitude(float[] x, int off, int n) {
        float amax = 0, max = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /**
     * ggml's reference quantizer of the 32-weight types without a minimum (Q4_0, Q5_0) with
     * {@code levels} = 2^bits: d = (the value of largest magnitude) / −(levels / 2),
     * q = min(levels − 1, trunc(x / d + levels / 2 + 0.5)) (C's int8 conversion). Writes d (f16)
     * at {@code bo} and the block's 32 q into {@code q}.
     */
    static void quantizeSymmetric(float[] src, int so, int levels, MemorySegment dst, long bo, int[] q) {
        float d = largestMagnitude(src, so, 32) / -(levels / 2);
        float id = d != 0 ? 1f / d : 0f, bias = levels / 2 + 0.5f;
        putHalf(dst, bo, d);
        for (int i = 0; i < 32; i++) q[i] = Math.min(levels - 1, (int) (byte) (int) (src[so + i] * id + bias));
    }

    static void putHalf(MemorySegment s, long off, float v) {
        s.set(SHORT_LE, off, Float.floatToFloat16(v));
    }
}
