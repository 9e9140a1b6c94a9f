package dev.drllm.quant;

import jdk.incubator.vector.*;
import java.util.SplittableRandom;
import static dev.drllm.quant.QuantKernels.*;

public class Q8L1 {
    static long clockLoop(long n) { long a = 1, b = 3; for (long i = 0; i < n; i++) { a = a * 3 + b; b ^= a; } return a + b; }

    // current arithmetic (copy of Q8_0.dot4 on arrays)
    static void v0(byte[] w, int stride, float[] x, int blocks, float[] y, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, h(w, bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, h(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, h(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, h(w, o3 + bb)).fma(s3, a3);
        }
        a0.add(a1).add(a2).add(a3).intoArray(tmp, 0);
        y[0] = tmp[0];
    }
    static float h(byte[] w, int o) { return Float.float16ToFloat((short) ((w[o] & 0xFF) | (w[o + 1] << 8))); }

    static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;

    // int8 activations: xs = x quantized, widened to shorts (32 per block), xd = scale per block
    static void v1(byte[] w, int stride, short[] xs, float[] xd, int blocks, float[] y, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = b * 32;
            ShortVector x0 = ShortVector.fromArray(S256, xs, xo), x1 = ShortVector.fromArray(S256, xs, xo + 16);
            float xdb = xd[b];
            { ByteVector wb = ByteVector.fromArray(B256, w, (bb) + 2);
            ShortVector p = ((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 0)).mul(x0).add(((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 1)).mul(x1));
            IntVector si = ((IntVector) p.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I256, 1));
            a0 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (bb)) * xdb), a0); }
            { ByteVector wb = ByteVector.fromArray(B256, w, (o1 + bb) + 2);
            ShortVector p = ((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 0)).mul(x0).add(((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 1)).mul(x1));
            IntVector si = ((IntVector) p.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I256, 1));
            a1 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (o1 + bb)) * xdb), a1); }
            { ByteVector wb = ByteVector.fromArray(B256, w, (o2 + bb) + 2);
            ShortVector p = ((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 0)).mul(x0).add(((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 1)).mul(x1));
            IntVector si = ((IntVector) p.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I256, 1));
            a2 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (o2 + bb)) * xdb), a2); }
            { ByteVector wb = ByteVector.fromArray(B256, w, (o3 + bb) + 2);
            ShortVector p = ((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 0)).mul(x0).add(((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 1)).mul(x1));
            IntVector si = ((IntVector) p.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I256, 1));
            a3 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (o3 + bb)) * xdb), a3); }
        }
        a0.add(a1).add(a2).add(a3).intoArray(tmp, 0);
        y[0] = tmp[0];
    }
    static FloatVector blk(byte[] w, int o, ShortVector x0, ShortVector x1) {
        ByteVector wb = ByteVector.fromArray(B256, w, o + 2);
        ShortVector p = ((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 0)).mul(x0)
                .add(((ShortVector) wb.convertShape(VectorOperators.B2S, S256, 1)).mul(x1));
        IntVector s = ((IntVector) p.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I256, 1));
        return (FloatVector) s.convert(VectorOperators.I2F, 0);
    }

    // int8, shift-based pair split: xe/xo are even/odd shorts of x (16 each per block)
    static void v2(byte[] w, int stride, short[] xe, short[] xod, float[] xd, int blocks, float[] y, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = b * 16;
            ShortVector e = ShortVector.fromArray(S256, xe, xo), od = ShortVector.fromArray(S256, xod, xo);
            float xdb = xd[b];
            { ShortVector ws = ByteVector.fromArray(B256, w, (bb) + 2).reinterpretAsShorts();
            ShortVector p = ws.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(e).add(ws.lanewise(VectorOperators.ASHR, 8).mul(od));
            IntVector pi = p.reinterpretAsInts();
            IntVector si = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pi.lanewise(VectorOperators.ASHR, 16));
            a0 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (bb)) * xdb), a0); }
            { ShortVector ws = ByteVector.fromArray(B256, w, (o1 + bb) + 2).reinterpretAsShorts();
            ShortVector p = ws.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(e).add(ws.lanewise(VectorOperators.ASHR, 8).mul(od));
            IntVector pi = p.reinterpretAsInts();
            IntVector si = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pi.lanewise(VectorOperators.ASHR, 16));
            a1 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (o1 + bb)) * xdb), a1); }
            { ShortVector ws = ByteVector.fromArray(B256, w, (o2 + bb) + 2).reinterpretAsShorts();
            ShortVector p = ws.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(e).add(ws.lanewise(VectorOperators.ASHR, 8).mul(od));
            IntVector pi = p.reinterpretAsInts();
            IntVector si = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pi.lanewise(VectorOperators.ASHR, 16));
            a2 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (o2 + bb)) * xdb), a2); }
            { ShortVector ws = ByteVector.fromArray(B256, w, (o3 + bb) + 2).reinterpretAsShorts();
            ShortVector p = ws.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(e).add(ws.lanewise(VectorOperators.ASHR, 8).mul(od));
            IntVector pi = p.reinterpretAsInts();
            IntVector si = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pi.lanewise(VectorOperators.ASHR, 16));
            a3 = ((FloatVector) si.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, h(w, (o3 + bb)) * xdb), a3); }
        }
        a0.add(a1).add(a2).add(a3).intoArray(tmp, 0);
        y[0] = tmp[0];
    }
    static FloatVector blk2(byte[] w, int o, ShortVector e, ShortVector od) {
        ShortVector ws = ByteVector.fromArray(B256, w, o + 2).reinterpretAsShorts();
        ShortVector p = ws.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(e)
                .add(ws.lanewise(VectorOperators.ASHR, 8).mul(od));
        IntVector pi = p.reinterpretAsInts();
        IntVector s = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pi.lanewise(VectorOperators.ASHR, 16));
        return (FloatVector) s.convert(VectorOperators.I2F, 0);
    }


    static void v3(byte[] w, int stride, float[] xp, int blocks, float[] y, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = b * 32;
            FloatVector x0 = FloatVector.fromArray(F, xp, xo), x1 = FloatVector.fromArray(F, xp, xo + 8), x2 = FloatVector.fromArray(F, xp, xo + 16), x3 = FloatVector.fromArray(F, xp, xo + 24);
            { IntVector wi = ByteVector.fromArray(B256, w, bb + 2).reinterpretAsInts();
              FloatVector t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(x0);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x1, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x2, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x3, t);
              a0 = FloatVector.broadcast(F, h(w, bb)).fma(t, a0); }
            { IntVector wi = ByteVector.fromArray(B256, w, (o1 + bb) + 2).reinterpretAsInts();
              FloatVector t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(x0);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x1, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x2, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x3, t);
              a1 = FloatVector.broadcast(F, h(w, (o1 + bb))).fma(t, a1); }
            { IntVector wi = ByteVector.fromArray(B256, w, (o2 + bb) + 2).reinterpretAsInts();
              FloatVector t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(x0);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x1, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x2, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x3, t);
              a2 = FloatVector.broadcast(F, h(w, (o2 + bb))).fma(t, a2); }
            { IntVector wi = ByteVector.fromArray(B256, w, (o3 + bb) + 2).reinterpretAsInts();
              FloatVector t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(x0);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x1, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x2, t);
              t = ((FloatVector) wi.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(x3, t);
              a3 = FloatVector.broadcast(F, h(w, (o3 + bb))).fma(t, a3); }
        }
        a0.add(a1).add(a2).add(a3).intoArray(tmp, 0);
        y[0] = tmp[0];
    }

    public static void main(String[] a) {
        int cols = 2048, blocks = cols / 32, rb = blocks * 34;
        SplittableRandom r = new SplittableRandom(1);
        byte[] w = new byte[4 * rb];
        for (int i = 0; i < w.length; i++) w[i] = (byte) r.nextInt(-127, 128);
        for (int row = 0; row < 4; row++) for (int b = 0; b < blocks; b++) { short d = Float.floatToFloat16(0.01f); int o = row * rb + b * 34; w[o] = (byte) d; w[o + 1] = (byte) (d >> 8); }
        float[] x = new float[cols]; for (int j = 0; j < cols; j++) x[j] = (float) r.nextGaussian();
        short[] xs = new short[cols], xe = new short[cols / 2], xo = new short[cols / 2]; float[] xd = new float[blocks];
        for (int i = 0; i < cols; i++) { xs[i] = (short) r.nextInt(-127, 128); if (i % 2 == 0) xe[i / 2] = xs[i]; else xo[i / 2] = xs[i]; }
        java.util.Arrays.fill(xd, 0.02f);
        float[] xp = new float[cols]; for (int b = 0; b < cols / 32; b++) for (int j = 0; j < 4; j++) for (int k = 0; k < 8; k++) xp[b * 32 + j * 8 + k] = x[b * 32 + 4 * k + j];
        float[] y = new float[4], tmp = new float[64];
        String which = a[0];
        for (int rep = 0; rep < 6; rep++) {
            long t = System.nanoTime(); long n = 200_000_000L; long c = clockLoop(n); double ghz = n / ((System.nanoTime() - t) / 1.0);  // ~1 dependent mul+add per iter: ~4 cycles
            t = System.nanoTime(); int it = 0;
            while (System.nanoTime() - t < 400_000_000L) { for (int k = 0; k < 100; k++) { switch (which) { case "v0" -> v0(w, rb, x, blocks, y, tmp); case "v3" -> v3(w, rb, xp, blocks, y, tmp); case "v1" -> v1(w, rb, xs, xd, blocks, y, tmp); default -> v2(w, rb, xe, xo, xd, blocks, y, tmp); } } it += 100; }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf("%s %.2f GB/s  clockloop %.3f iter/ns (%d)%n", which, (double) it * 4 * rb / s / 1e9, ghz, c & 1);
        }
    }
}
