import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;

public class T2 {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final int TT = 2 * L;
    static final ByteOrder N = ByteOrder.nativeOrder();
    static final int KT = 256;

    static void store6(float[] yT, int o, FloatVector a0, FloatVector b0, FloatVector a1, FloatVector b1, FloatVector a2, FloatVector b2,
                       FloatVector a3, FloatVector b3, FloatVector a4, FloatVector b4, FloatVector a5, FloatVector b5) {
        FloatVector.fromArray(F, yT, o).add(a0).intoArray(yT, o); FloatVector.fromArray(F, yT, o + L).add(b0).intoArray(yT, o + L); o += TT;
        FloatVector.fromArray(F, yT, o).add(a1).intoArray(yT, o); FloatVector.fromArray(F, yT, o + L).add(b1).intoArray(yT, o + L); o += TT;
        FloatVector.fromArray(F, yT, o).add(a2).intoArray(yT, o); FloatVector.fromArray(F, yT, o + L).add(b2).intoArray(yT, o + L); o += TT;
        FloatVector.fromArray(F, yT, o).add(a3).intoArray(yT, o); FloatVector.fromArray(F, yT, o + L).add(b3).intoArray(yT, o + L); o += TT;
        FloatVector.fromArray(F, yT, o).add(a4).intoArray(yT, o); FloatVector.fromArray(F, yT, o + L).add(b4).intoArray(yT, o + L); o += TT;
        FloatVector.fromArray(F, yT, o).add(a5).intoArray(yT, o); FloatVector.fromArray(F, yT, o + L).add(b5).intoArray(yT, o + L);
    }

    // A: current
    static void tileA(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        for (int k = 0; k < kl; k++) {
            int xo = (kb + k) * tp + t0;
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo * 4L, N), x1 = FloatVector.fromMemorySegment(F, xT, (xo + L) * 4L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        store6(yT, y0, a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5);
    }

    // B: same layout, unrolled x2, offsets incremented
    static void tileB(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long xo = ((long) kb * tp + t0) * 4L, st = tp * 4L;
        int k = 0;
        for (; k < kl; k++, xo += st) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, N), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        store6(yT, y0, a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5);
    }

    // C: blocked layout xB[((t0/TT) * in + k) * TT + j]: constant stride
    static void tileC(MemorySegment xB, int in, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long base = ((long) (t0 / TT) * in + kb) * TT * 4L;
        for (int k = 0; k < kl; k++) {
            long xo = base + (long) k * (TT * 4);
            FloatVector x0 = FloatVector.fromMemorySegment(F, xB, xo, N), x1 = FloatVector.fromMemorySegment(F, xB, xo + 4L * L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        store6(yT, y0, a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5);
    }

    // D: blocked layout in a heap float[] (RCE on int index with constant scale)
    static void tileD(float[] xB, int in, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        int base = ((t0 / TT) * in + kb) * TT;
        for (int k = 0; k < kl; k++) {
            int xo = base + k * TT;
            FloatVector x0 = FloatVector.fromArray(F, xB, xo), x1 = FloatVector.fromArray(F, xB, xo + L);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        store6(yT, y0, a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5);
    }

    // E: B unrolled x2
    static void tileE(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        long xo = ((long) kb * tp + t0) * 4L, st = tp * 4L;
        for (int k = 0; k < kl; k += 2, xo += 2 * st) {
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, N), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            x0 = FloatVector.fromMemorySegment(F, xT, xo + st, N); x1 = FloatVector.fromMemorySegment(F, xT, xo + st + 4L * L, N);
            w = FloatVector.broadcast(F, wb[k + 1]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[1 * KT + k + 1]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k + 1]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k + 1]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k + 1]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k + 1]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
        }
        store6(yT, y0, a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5);
    }

    public static void main(String[] a) {
        int tp = 128, P = 512; // panel columns
        int in = P;
        MemorySegment xT = Arena.ofAuto().allocate((long) P * tp * 4, 64);
        for (long i = 0; i < (long) P * tp; i++) xT.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i));
        float[] xBa = new float[P * tp];
        for (int i = 0; i < xBa.length; i++) xBa[i] = (float) Math.sin(i);
        float[] wb = new float[8 * KT];
        for (int i = 0; i < wb.length; i++) wb[i] = (float) Math.cos(i) * 1e-3f;
        float[] yT = new float[6 * tp * 2];
        int rowGroups = 200;
        System.out.println("lanes " + L + " tp " + tp);
        for (int round = 0; round < 6; round++) {
            for (int v : new int[]{0, 1, 4, 5}) {
                long s0 = System.nanoTime();
                for (int rg = 0; rg < rowGroups; rg++)
                    for (int kb = 0; kb < P; kb += KT)
                        for (int t0 = 0; t0 < tp; t0 += TT) {
                            int yb = (t0 / TT) * 6 * TT;
                            switch (v) {
                                case 0 -> tileA(xT, tp, t0, kb, KT, wb, yT, yb);
                                case 1 -> tileB(xT, tp, t0, kb, KT, wb, yT, yb);
                                case 2 -> tileC(xT, in, t0, kb, KT, wb, yT, yb);
                                case 3 -> tileD(xBa, in, t0, kb, KT, wb, yT, yb);
                                case 4 -> tileE(xT, tp, t0, kb, KT, wb, yT, yb);
                                default -> tileB(xT, tp, t0, kb, 64, wb, yT, yb);
                            }
                        }
                double d = (System.nanoTime() - s0) / 1e9;
                double flop = 2.0 * 6 * P * tp * rowGroups * (v == 5 ? 0.25 : 1);
                if (round > 0) System.out.printf("%s %.1f GFLOP/s%n", "ABCDEF".charAt(v), flop / d / 1e9);
            }
        }
    }
}
