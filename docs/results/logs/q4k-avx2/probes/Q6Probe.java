package dev.drllm.quant;

import dev.drllm.model.Model;
import dev.drllm.model.Tensor;
import jdk.incubator.vector.*;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import static dev.drllm.quant.QuantKernels.*;

/** In-JVM interleaved A/B of the Q6_K 8-lane row dot: segment reads (main) vs staged byte[] rows; on a model's Q6_K tensors. */
public class Q6Probe {
    static final VectorShuffle<Float> SC0 = sh(0), SC1 = sh(1), SC2 = sh(2), SC3 = sh(3);
    static VectorShuffle<Float> sh(int k) { return VectorShuffle.fromOp(F, p -> ((LANES / 4) * k + p / 4) % LANES); }
    static final VectorSpecies<Byte> BI = VectorSpecies.of(byte.class, I.vectorShape());
static float dot8seg(MemorySegment src, long off, float[] xp, float[] xs, int blocks, float[] tmp) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0;
        for (int b = 0; b < blocks; b++) {
            long bo = off + b * 210L;
            float d = half(src, bo + 208);
            for (int n = 0; n < 2; n++) {
                int xo = b * 256 + 128 * n;
                FloatVector sf = ((FloatVector) ByteVector.fromMemorySegment(B, src, bo + 192 + 8 * n, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                acc2 = sf.fma(FloatVector.fromArray(F, xs, b * 16 + 8 * n), acc2);
                IntVector qh = IntVector.fromMemorySegment(I, src, bo + 128 + 32 * n, LE);
                // c = 0: groups k = 0 (low nibbles) and 2 (high), bit pairs 0–1 and 4–5
                IntVector ql = IntVector.fromMemorySegment(I, src, bo + 64 * n, LE);
                IntVector lo = ql.and(0x0F0F0F0F).or(qh.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                IntVector hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(qh.and(0x30303030));
                FloatVector p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo));
                p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), p);
                p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32), p);
                p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 48), p);
                acc0 = p.fma(sf.rearrange(SC0), acc0);
                p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 64));
                p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 80), p);
                p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96), p);
                p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 112), p);
                acc1 = p.fma(sf.rearrange(SC2), acc1);
                // c = 1: groups k = 1 and 3, bit pairs 2–3 and 6–7
                IntVector t = qh.lanewise(VectorOperators.LSHR, 2);
                ql = IntVector.fromMemorySegment(I, src, bo + 64 * n + 32, LE);
                lo = ql.and(0x0F0F0F0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(t.and(0x30303030));
                p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 8));
                p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 24), p);
                p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 40), p);
                p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 56), p);
                acc0 = p.fma(sf.rearrange(SC1), acc0);
                p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 72));
                p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 88), p);
                p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 104), p);
                p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 120), p);
                acc1 = p.fma(sf.rearrange(SC3), acc1);
            }
        }
        acc0.add(acc1).add(acc2).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

static float dot8arr(byte[] src, float[] xp, float[] xs, int blocks, float[] tmp) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0;
        for (int b = 0; b < blocks; b++) {
            int bo = b * 210;
            float d = Float.float16ToFloat((short) ((src[bo + 208] & 0xFF) | (src[bo + 209] << 8)));
            for (int n = 0; n < 2; n++) {
                int xo = b * 256 + 128 * n;
                FloatVector sf = ((FloatVector) ByteVector.fromArray(B, src, bo + 192 + 8 * n).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                acc2 = sf.fma(FloatVector.fromArray(F, xs, b * 16 + 8 * n), acc2);
                IntVector qh = ByteVector.fromArray(BI, src, bo + 128 + 32 * n).reinterpretAsInts();
                // c = 0: groups k = 0 (low nibbles) and 2 (high), bit pairs 0–1 and 4–5
                IntVector ql = ByteVector.fromArray(BI, src, bo + 64 * n).reinterpretAsInts();
                IntVector lo = ql.and(0x0F0F0F0F).or(qh.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                IntVector hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(qh.and(0x30303030));
                FloatVector p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo));
                p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 16), p);
                p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 32), p);
                p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 48), p);
                acc0 = p.fma(sf.rearrange(SC0), acc0);
                p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 64));
                p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 80), p);
                p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 96), p);
                p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 112), p);
                acc1 = p.fma(sf.rearrange(SC2), acc1);
                // c = 1: groups k = 1 and 3, bit pairs 2–3 and 6–7
                IntVector t = qh.lanewise(VectorOperators.LSHR, 2);
                ql = ByteVector.fromArray(BI, src, bo + 64 * n + 32).reinterpretAsInts();
                lo = ql.and(0x0F0F0F0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30303030));
                hi = ql.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F).or(t.and(0x30303030));
                p = ((FloatVector) lo.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 8));
                p = ((FloatVector) lo.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 24), p);
                p = ((FloatVector) lo.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 40), p);
                p = ((FloatVector) lo.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 56), p);
                acc0 = p.fma(sf.rearrange(SC1), acc0);
                p = ((FloatVector) hi.and(0xFF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xp, xo + 72));
                p = ((FloatVector) hi.and(0xFF00).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 88), p);
                p = ((FloatVector) hi.and(0xFF0000).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 104), p);
                p = ((FloatVector) hi.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, xo + 120), p);
                acc1 = p.fma(sf.rearrange(SC3), acc1);
            }
        }
        acc0.add(acc1).add(acc2).intoArray(tmp, 0);
        return QuantKernels.hsum(tmp, 0);
    }

    public static void main(String[] args) throws Exception {
        Model m = Model.load(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        Tensor t = m.weights().lmHead();
        if (args.length > 2) t = m.weights().layers().get(Integer.parseInt(args[2])).wDown();
        MemorySegment w = t.data();
        int rows = t.dim(0), in = t.dim(1), blocks = in / 256;
        long rb = blocks * 210L;
        System.out.println(t.dtype() + " " + rows + " x " + in);
        float[] x = new float[in];
        for (int i = 0; i < in; i++) x[i] = (float) Math.sin(i * 0.37);
        int T = 2;
        float[] y0 = new float[rows], y1 = new float[rows];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < 2; v++) {
                final int variant = v;
                float[] y = v == 0 ? y0 : y1;
                Thread[] th = new Thread[T];
                long t0 = System.nanoTime();
                for (int k = 0; k < T; k++) {
                    final int r0 = rows * k / T, r1 = rows * (k + 1) / T;
                    th[k] = new Thread(() -> {
                        Q6_K.Activation a = Q6_K.Activation.of(x, 0, in);
                        float[] tmp = new float[TMP];
                        if (variant == 0) {
                            for (int o = r0; o < r1; o++) y[o] = dot8seg(w, o * rb, a.xp, a.xs, blocks, tmp);
                        } else {
                            byte[] row = a.row((int) rb);
                            for (int o = r0; o < r1; o++) {
                                MemorySegment.copy(w, ValueLayout.JAVA_BYTE, o * rb, row, 0, (int) rb);
                                y[o] = dot8arr(row, a.xp, a.xs, blocks, tmp);
                            }
                        }
                    });
                    th[k].start();
                }
                for (Thread h : th) h.join();
                long dt = System.nanoTime() - t0;
                System.out.printf("round %d %s %.2f GB/s%n", r, v == 0 ? "segment" : "staged ", rows * rb / (double) dt);
            }
            int diff = 0;
            for (int o = 0; o < rows; o++) if (Float.floatToRawIntBits(y0[o]) != Float.floatToRawIntBits(y1[o])) diff++;
            if (diff > 0) System.out.println("rows differing: " + diff);
        }
    }
}
