import dev.drllm.model.DType;
import dev.drllm.quant.BlockCodec;
import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;

public class DeqBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() <= 16 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_512;
    static final int LANES = F.length();
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LANES * 8));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static float half(MemorySegment s, long off) { return Float.float16ToFloat(s.get(SHORT_LE, off)); }
    static int u8(MemorySegment s, long off) { return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF; }
    static int scaleMin(MemorySegment s, long so, int j) {
        int sc, m;
        if (j < 4) { sc = u8(s, so + j) & 63; m = u8(s, so + j + 4) & 63; }
        else { sc = (u8(s, so + j + 4) & 0xF) | ((u8(s, so + j - 4) >> 6) << 4); m = (u8(s, so + j + 4) >> 4) | ((u8(s, so + j) >> 6) << 4); }
        return sc | (m << 8);
    }

    static void q4kInt(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int sm1 = scaleMin(src, bo + 4, 2 * j), sm2 = scaleMin(src, bo + 4, 2 * j + 1);
                float d1 = d * (sm1 & 0xFF), m1 = -dmin * (sm1 >> 8), d2 = d * (sm2 & 0xFF), m2 = -dmin * (sm2 >> 8);
                long q = bo + 16 + 32L * j;
                for (int c = 0; c < 32; c += LANES) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B, src, q + c, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1).intoArray(out, o + 64 * j + c);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2).intoArray(out, o + 64 * j + 32 + c);
                }
            }
        }
    }

    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    static void q4kReg(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            long s0 = src.get(LONG_LE, bo + 4);           // bytes 0..7: sc0..3 | m0..3 (low 6 bits), top bits of sc4..7 / m4..7
            int s8 = src.get(INT_LE, bo + 12);             // bytes 8..11: low nibble sc4..7, high nibble m4..7
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int lo = (int) (s0 >>> (8 * j)) & 0xFF, mid = (int) (s0 >>> (8 * j + 32)) & 0xFF, hi = (s8 >>> (8 * j)) & 0xFF;
                // sub-blocks 2j and 2j + 1 of this 64-weight group
                int jj = 2 * j;
                int sc1 = jj < 4 ? (int) (s0 >>> (8 * jj)) & 63 : ((s8 >>> (8 * (jj - 4))) & 0xF) | ((((int) (s0 >>> (8 * (jj - 4)))) & 0xC0) >> 2);
                int m1 = jj < 4 ? (int) (s0 >>> (8 * jj + 32)) & 63 : ((s8 >>> (8 * (jj - 4) + 4)) & 0xF) | ((((int) (s0 >>> (8 * jj))) & 0xC0) >> 2);
                int j2 = jj + 1;
                int sc2 = j2 < 4 ? (int) (s0 >>> (8 * j2)) & 63 : ((s8 >>> (8 * (j2 - 4))) & 0xF) | ((((int) (s0 >>> (8 * (j2 - 4)))) & 0xC0) >> 2);
                int m2 = j2 < 4 ? (int) (s0 >>> (8 * j2 + 32)) & 63 : ((s8 >>> (8 * (j2 - 4) + 4)) & 0xF) | ((((int) (s0 >>> (8 * j2))) & 0xC0) >> 2);
                float d1 = d * sc1, mm1 = -dmin * m1, d2 = d * sc2, mm2 = -dmin * m2;
                FloatVector D1 = FloatVector.broadcast(F, d1), M1 = FloatVector.broadcast(F, mm1), D2 = FloatVector.broadcast(F, d2), M2 = FloatVector.broadcast(F, mm2);
                long q = bo + 16 + 32L * j;
                for (int c = 0; c < 32; c += LANES) {
                    ByteVector v = ByteVector.fromMemorySegment(B, src, q + c, LE);
                    ((FloatVector) v.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0)).fma(D1, M1).intoArray(out, o + 64 * j + c);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2F, F, 0)).fma(D2, M2).intoArray(out, o + 64 * j + 32 + c);
                }
            }
        }
    }

    static void q4kRegInt(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 144L;
            float d = half(src, bo), dmin = half(src, bo + 2);
            long s0 = src.get(LONG_LE, bo + 4);           // bytes 0..7: sc0..3 | m0..3 (low 6 bits), top bits of sc4..7 / m4..7
            int s8 = src.get(INT_LE, bo + 12);             // bytes 8..11: low nibble sc4..7, high nibble m4..7
            int o = outOff + b * 256;
            for (int j = 0; j < 4; j++) {
                int lo = (int) (s0 >>> (8 * j)) & 0xFF, mid = (int) (s0 >>> (8 * j + 32)) & 0xFF, hi = (s8 >>> (8 * j)) & 0xFF;
                // sub-blocks 2j and 2j + 1 of this 64-weight group
                int jj = 2 * j;
                int sc1 = jj < 4 ? (int) (s0 >>> (8 * jj)) & 63 : ((s8 >>> (8 * (jj - 4))) & 0xF) | ((((int) (s0 >>> (8 * (jj - 4)))) & 0xC0) >> 2);
                int m1 = jj < 4 ? (int) (s0 >>> (8 * jj + 32)) & 63 : ((s8 >>> (8 * (jj - 4) + 4)) & 0xF) | ((((int) (s0 >>> (8 * jj))) & 0xC0) >> 2);
                int j2 = jj + 1;
                int sc2 = j2 < 4 ? (int) (s0 >>> (8 * j2)) & 63 : ((s8 >>> (8 * (j2 - 4))) & 0xF) | ((((int) (s0 >>> (8 * (j2 - 4)))) & 0xC0) >> 2);
                int m2 = j2 < 4 ? (int) (s0 >>> (8 * j2 + 32)) & 63 : ((s8 >>> (8 * (j2 - 4) + 4)) & 0xF) | ((((int) (s0 >>> (8 * j2))) & 0xC0) >> 2);
                float d1 = d * sc1, mm1 = -dmin * m1, d2 = d * sc2, mm2 = -dmin * m2;
                FloatVector D1 = FloatVector.broadcast(F, d1), M1 = FloatVector.broadcast(F, mm1), D2 = FloatVector.broadcast(F, d2), M2 = FloatVector.broadcast(F, mm2);
                long q = bo + 16 + 32L * j;
                for (int c = 0; c < 32; c += LANES) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B, src, q + c, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).fma(D1, M1).intoArray(out, o + 64 * j + c);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(D2, M2).intoArray(out, o + 64 * j + 32 + c);
                }
            }
        }
    }

    static void q6kInt(MemorySegment src, long off, float[] out, int outOff, int blocks) {
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                long ql = bo + 64L * n, qh = bo + 128 + 32L * n, sc = bo + 192 + 8L * n;
                int o = outOff + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += LANES) {
                    int is = l / 16;
                    IntVector a = (IntVector) ByteVector.fromMemorySegment(B, src, ql + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector c = (IntVector) ByteVector.fromMemorySegment(B, src, ql + 32 + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector h = (IntVector) ByteVector.fromMemorySegment(B, src, qh + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector q1 = a.and(0xF).or(h.and(3).lanewise(VectorOperators.LSHL, 4));
                    IntVector q2 = c.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2));
                    IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30));
                    IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30));
                    float s1 = d * src.get(ValueLayout.JAVA_BYTE, sc + is), s2 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2);
                    float s3 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4), s4 = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6);
                    ((FloatVector) q1.sub(32).convert(VectorOperators.I2F, 0)).mul(s1).intoArray(out, o + l);
                    ((FloatVector) q2.sub(32).convert(VectorOperators.I2F, 0)).mul(s2).intoArray(out, o + l + 32);
                    ((FloatVector) q3.sub(32).convert(VectorOperators.I2F, 0)).mul(s3).intoArray(out, o + l + 64);
                    ((FloatVector) q4.sub(32).convert(VectorOperators.I2F, 0)).mul(s4).intoArray(out, o + l + 96);
                }
            }
        }
    }

    public static void main(String[] a) {
        int rows = 8, blocksPerRow = 1; // one 8 x 256 tile
        Random r = new Random(1);
        for (DType d : new DType[]{DType.Q8_0, DType.Q4_K, DType.Q6_K}) {
            BlockCodec c = BlockCodec.of(d);
            int nb = 256 / d.blockSize();
            long bytes = d.bytesOf(256L * 64);
            MemorySegment seg = Arena.ofAuto().allocate(bytes, 64);
            float[] w = new float[256 * 64];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.02f;
            c.quantize(w, 0, 64 * nb, seg, 0);
            float[] o1 = new float[256 * 64], o2 = new float[256 * 64];
            c.dequantize(seg, 0, o1, 0, 64 * nb);
            if (d == DType.Q4_K) q4kInt(seg, 0, o2, 0, 64);
            if (d == DType.Q4_K) { float[] o4 = new float[o1.length]; q4kRegInt(seg, 0, o4, 0, 64); for (int i = 0; i < o1.length; i++) if (Float.floatToIntBits(o1[i]) != Float.floatToIntBits(o4[i])) throw new AssertionError("regint"); }
            if (d == DType.Q4_K) { float[] o3 = new float[o1.length]; q4kReg(seg, 0, o3, 0, 64); for (int i = 0; i < o1.length; i++) if (Float.floatToIntBits(o1[i]) != Float.floatToIntBits(o3[i])) throw new AssertionError("reg " + i + ": " + o1[i] + " vs " + o3[i]); }
            if (d == DType.Q6_K) q6kInt(seg, 0, o2, 0, 64);
            if (d != DType.Q8_0) for (int i = 0; i < o1.length; i++) if (Float.floatToIntBits(o1[i]) != Float.floatToIntBits(o2[i])) throw new AssertionError(d + " at " + i + ": " + o1[i] + " vs " + o2[i]);
            for (int round = 0; round < 7; round++) {
                for (int v = 0; v < (d == DType.Q8_0 ? 1 : d == DType.Q4_K ? 4 : 2); v++) {
                    int reps = 20000;
                    long t0 = System.nanoTime();
                    for (int k = 0; k < reps; k++) {
                        if (v == 0) c.dequantize(seg, 0, o1, 0, 64 * nb);
                        else if (d == DType.Q4_K && v == 2) q4kReg(seg, 0, o1, 0, 64);
                        else if (d == DType.Q4_K && v == 3) q4kRegInt(seg, 0, o1, 0, 64);
                        else if (d == DType.Q4_K) q4kInt(seg, 0, o1, 0, 64);
                        else q6kInt(seg, 0, o1, 0, 64);
                    }
                    double ns = (System.nanoTime() - t0) / (double) reps / (256.0 * 64);
                    if (round >= 2) System.out.printf("%s %s %.3f ns/weight (%.2f cycles at 3.75 GHz)%n", d, v == 0 ? "current" : v == 2 ? "reg-scales" : v == 3 ? "reg+int" : "int-lane", ns, ns * 3.75);
                }
            }
        }
    }
}
