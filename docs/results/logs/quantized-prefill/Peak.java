import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;

public class Peak {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final ByteOrder N = ByteOrder.nativeOrder();

    static float peak(int iters) {
        FloatVector a0 = FloatVector.broadcast(F, 1e-3f), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3), a4=a0.add(4), a5=a0.add(5), a6=a0.add(6), a7=a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11), a12=a0.add(12), a13=a0.add(13), a14=a0.add(14), a15=a0.add(15);
        FloatVector x = FloatVector.broadcast(F, 0.999f), w = FloatVector.broadcast(F, 1e-6f);
        for (int i = 0; i < iters; i++) {
            a0 = x.fma(a0, w); a1 = x.fma(a1, w); a2 = x.fma(a2, w); a3 = x.fma(a3, w);
            a4 = x.fma(a4, w); a5 = x.fma(a5, w); a6 = x.fma(a6, w); a7 = x.fma(a7, w);
            a8 = x.fma(a8, w); a9 = x.fma(a9, w); a10 = x.fma(a10, w); a11 = x.fma(a11, w);
            a12 = x.fma(a12, w); a13 = x.fma(a13, w); a14 = x.fma(a14, w); a15 = x.fma(a15, w);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15).reduceLanes(VectorOperators.ADD);
    }

    // tile8 as in CpuKernels
    static void tile8(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, int KT, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        FloatVector a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
        for (int k = 0; k < kl; k++) {
            int xo = (kb + k) * tp + t0;
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo * 4L, N), x1 = FloatVector.fromMemorySegment(F, xT, (xo + L) * 4L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            w = FloatVector.broadcast(F, wb[6 * KT + k]); a6 = x0.fma(w, a6); b6 = x1.fma(w, b6);
            w = FloatVector.broadcast(F, wb[7 * KT + k]); a7 = x0.fma(w, a7); b7 = x1.fma(w, b7);
        }
        FloatVector s = a0.add(b0).add(a1).add(b1).add(a2).add(b2).add(a3).add(b3).add(a4).add(b4).add(a5).add(b5).add(a6).add(b6).add(a7).add(b7);
        s.add(FloatVector.fromArray(F, yT, y0)).intoArray(yT, y0);
    }

    // 12 rows x 2 vectors
    static void tile12(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, int KT, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        FloatVector a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
        FloatVector a8 = a0, b8 = a0, a9 = a0, b9 = a0, a10 = a0, b10 = a0, a11 = a0, b11 = a0;
        for (int k = 0; k < kl; k++) {
            int xo = (kb + k) * tp + t0;
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo * 4L, N), x1 = FloatVector.fromMemorySegment(F, xT, (xo + L) * 4L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0);
            w = FloatVector.broadcast(F, wb[KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5);
            w = FloatVector.broadcast(F, wb[6 * KT + k]); a6 = x0.fma(w, a6); b6 = x1.fma(w, b6);
            w = FloatVector.broadcast(F, wb[7 * KT + k]); a7 = x0.fma(w, a7); b7 = x1.fma(w, b7);
            w = FloatVector.broadcast(F, wb[8 * KT + k]); a8 = x0.fma(w, a8); b8 = x1.fma(w, b8);
            w = FloatVector.broadcast(F, wb[9 * KT + k]); a9 = x0.fma(w, a9); b9 = x1.fma(w, b9);
            w = FloatVector.broadcast(F, wb[10 * KT + k]); a10 = x0.fma(w, a10); b10 = x1.fma(w, b10);
            w = FloatVector.broadcast(F, wb[11 * KT + k]); a11 = x0.fma(w, a11); b11 = x1.fma(w, b11);
        }
        FloatVector s = a0.add(b0).add(a1).add(b1).add(a2).add(b2).add(a3).add(b3).add(a4).add(b4).add(a5).add(b5).add(a6).add(b6).add(a7).add(b7)
            .add(a8).add(b8).add(a9).add(b9).add(a10).add(b10).add(a11).add(b11);
        s.add(FloatVector.fromArray(F, yT, y0)).intoArray(yT, y0);
    }

    // 6 rows x 4 vectors
    static void tile6x4(MemorySegment xT, int tp, int t0, int kb, int kl, float[] wb, int KT, float[] yT, int y0) {
        FloatVector a0 = FloatVector.zero(F), b0 = a0, c0 = a0, d0 = a0, a1 = a0, b1 = a0, c1 = a0, d1 = a0, a2 = a0, b2 = a0, c2 = a0, d2 = a0;
        FloatVector a3 = a0, b3 = a0, c3 = a0, d3 = a0, a4 = a0, b4 = a0, c4 = a0, d4 = a0, a5 = a0, b5 = a0, c5 = a0, d5 = a0;
        for (int k = 0; k < kl; k++) {
            long xo = ((long) (kb + k) * tp + t0) * 4L;
            FloatVector x0 = FloatVector.fromMemorySegment(F, xT, xo, N), x1 = FloatVector.fromMemorySegment(F, xT, xo + 4L * L, N);
            FloatVector x2 = FloatVector.fromMemorySegment(F, xT, xo + 8L * L, N), x3 = FloatVector.fromMemorySegment(F, xT, xo + 12L * L, N);
            FloatVector w = FloatVector.broadcast(F, wb[k]);
            a0 = x0.fma(w, a0); b0 = x1.fma(w, b0); c0 = x2.fma(w, c0); d0 = x3.fma(w, d0);
            w = FloatVector.broadcast(F, wb[KT + k]); a1 = x0.fma(w, a1); b1 = x1.fma(w, b1); c1 = x2.fma(w, c1); d1 = x3.fma(w, d1);
            w = FloatVector.broadcast(F, wb[2 * KT + k]); a2 = x0.fma(w, a2); b2 = x1.fma(w, b2); c2 = x2.fma(w, c2); d2 = x3.fma(w, d2);
            w = FloatVector.broadcast(F, wb[3 * KT + k]); a3 = x0.fma(w, a3); b3 = x1.fma(w, b3); c3 = x2.fma(w, c3); d3 = x3.fma(w, d3);
            w = FloatVector.broadcast(F, wb[4 * KT + k]); a4 = x0.fma(w, a4); b4 = x1.fma(w, b4); c4 = x2.fma(w, c4); d4 = x3.fma(w, d4);
            w = FloatVector.broadcast(F, wb[5 * KT + k]); a5 = x0.fma(w, a5); b5 = x1.fma(w, b5); c5 = x2.fma(w, c5); d5 = x3.fma(w, d5);
        }
        FloatVector s = a0.add(b0).add(c0).add(d0).add(a1).add(b1).add(c1).add(d1).add(a2).add(b2).add(c2).add(d2).add(a3).add(b3).add(c3).add(d3)
            .add(a4).add(b4).add(c4).add(d4).add(a5).add(b5).add(c5).add(d5);
        s.add(FloatVector.fromArray(F, yT, y0)).intoArray(yT, y0);
    }

    public static void main(String[] a) {
        int tp = Integer.parseInt(a.length > 0 ? a[0] : "32");
        int K = 256, KT = 256;
        MemorySegment xT = Arena.ofAuto().allocate((long) K * tp * 4, 64);
        for (long i = 0; i < K * tp; i++) xT.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i));
        float[] wb = new float[12 * KT];
        for (int i = 0; i < wb.length; i++) wb[i] = (float) Math.cos(i) * 1e-3f;
        float[] yT = new float[64];
        System.out.println("lanes " + L + " tp " + tp);
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime(); int it = 200_000_000 / 16 / L * 4;
            float s = peak(it);
            double dt = (System.nanoTime() - t0) / 1e9;
            System.out.printf("peak   %.1f GFLOP/s (%f)%n", 16.0 * L * 2 * it / dt / 1e9, s);
            for (int v = 0; v < 3; v++) {
                int rows = v == 0 ? 8 : v == 1 ? 12 : 6, toks = v == 2 ? 4 * L : 2 * L;
                int reps = 20000;
                long s0 = System.nanoTime();
                for (int r = 0; r < reps; r++) for (int t = 0; t + toks <= tp; t += toks) {
                    if (v == 0) tile8(xT, tp, t, 0, K, wb, KT, yT, 0);
                    else if (v == 1) tile12(xT, tp, t, 0, K, wb, KT, yT, 0);
                    else tile6x4(xT, tp, t, 0, K, wb, KT, yT, 0);
                }
                double d = (System.nanoTime() - s0) / 1e9;
                double flop = 2.0 * rows * K * (tp / toks * toks) * reps;
                System.out.printf("%-7s %.1f GFLOP/s%n", v == 0 ? "8x2" : v == 1 ? "12x2" : "6x4", flop / d / 1e9);
            }
        }
    }
}
