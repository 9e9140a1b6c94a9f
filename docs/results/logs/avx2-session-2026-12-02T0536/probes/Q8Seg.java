package dev.drllm.quant;

import dev.drllm.model.DType;
import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.util.SplittableRandom;
import static dev.drllm.quant.QuantKernels.*;

public class Q8Seg {
    static FloatVector w8(MemorySegment s, long o) { return (FloatVector) ByteVector.fromMemorySegment(B, s, o, LE).convertShape(VectorOperators.B2F, F, 0); }

    static void streamsU(MemorySegment w, float[] x, int in, float[] y, int r0, int r1, float[] tmp) {
        long rb = DType.Q8_0.bytesOf(in);
        int blocks = in / 32, q = (r1 - r0) / 4;
        for (int r = r0; r < r0 + q; r++) dot4u(w, r * rb, q * rb, x, blocks, y, r, q, tmp);
        for (int r = r0 + 4 * q; r < r1; r++) dot4u(w, r * rb, 0, x, blocks, y, r, 0, tmp);
    }
    static void adjacentU(MemorySegment w, float[] x, int in, float[] y, int r0, int r1, float[] tmp) {
        long rb = DType.Q8_0.bytesOf(in);
        int blocks = in / 32;
        int r = r0;
        for (; r + 4 <= r1; r += 4) dot4u(w, r * rb, rb, x, blocks, y, r, 1, tmp);
        for (; r < r1; r++) dot4u(w, r * rb, 0, x, blocks, y, r, 0, tmp);
    }

    static void dot4u(MemorySegment src, long off, long stride, float[] x, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long o0 = off, o1 = off + stride, o2 = o1 + stride, o3 = o2 + stride;
        for (int b = 0; b < blocks; b++, o0 += 34, o1 += 34, o2 += 34, o3 += 34) {
            int xo = b * 32;
            FloatVector x0 = FloatVector.fromArray(F, x, xo), x1 = FloatVector.fromArray(F, x, xo + 8), x2 = FloatVector.fromArray(F, x, xo + 16), x3 = FloatVector.fromArray(F, x, xo + 24);
            FloatVector s0 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o0 + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x0).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o0 + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x1)).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o0 + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x2).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o0 + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x3)));
            FloatVector s1 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o1 + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x0).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o1 + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x1)).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o1 + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x2).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o1 + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x3)));
            FloatVector s2 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o2 + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x0).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o2 + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x1)).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o2 + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x2).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o2 + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x3)));
            FloatVector s3 = ((FloatVector) ByteVector.fromMemorySegment(B, src, o3 + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x0).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o3 + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x1)).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o3 + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x2).add(((FloatVector) ByteVector.fromMemorySegment(B, src, o3 + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(x3)));
            a0 = FloatVector.broadcast(F, half(src, o0)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, half(src, o1)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, half(src, o2)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, half(src, o3)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, 8); y[yOff + 2 * ys] = hsum(tmp, 16); y[yOff + 3 * ys] = hsum(tmp, 24);
    }


    static int sink;
    static final ThreadLocal<byte[]> ST = ThreadLocal.withInitial(() -> new byte[0]);
    static void stagedT(MemorySegment w, float[] x, int in, float[] y, int r0, int r1, float[] tmp, int touches) {
        int rb = (int) DType.Q8_0.bytesOf(in), blocks = in / 32;
        byte[] buf = ST.get();
        if (buf.length < 4 * rb) { buf = new byte[4 * rb]; ST.set(buf); }
        long limit = w.byteSize();
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            MemorySegment.copy(w, java.lang.foreign.ValueLayout.JAVA_BYTE, (long) r * rb, buf, 0, 4 * rb);
            long next = (long) (r + 4) * rb;
            if (r + 8 > r1) next = Math.max(0, limit - 4L * rb);
            dot4t(buf, rb, x, blocks, y, r, 1, tmp, w, next, touches);
        }
        for (; r < r1; r++) {
            MemorySegment.copy(w, java.lang.foreign.ValueLayout.JAVA_BYTE, (long) r * rb, buf, 0, rb);
            dot4t(buf, 0, x, blocks, y, r, 0, tmp, w, 0, 0);
        }
    }
    static void dot4t(byte[] w, int stride, float[] x, int blocks, float[] y, int yOff, int ys, float[] tmp, MemorySegment seg, long next, int touches) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        int t = 0;
        // the next group's 4 * 34 * blocks bytes, touched at 64-byte steps spread over the block loop
        long step = touches == 0 ? 0 : 4L * 34 * blocks / (blocks * touches) ;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < touches; k++) t += seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, next + (long) (b * touches + k) * 64);
            int bb = b * 34, xo = b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, hh(w, bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, hh(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, hh(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, hh(w, o3 + bb)).fma(s3, a3);
        }
        sink += t;
        a0.intoArray(tmp, 0); a1.intoArray(tmp, LANES); a2.intoArray(tmp, 2 * LANES); a3.intoArray(tmp, 3 * LANES);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, LANES); y[yOff + 2 * ys] = hsum(tmp, 2 * LANES); y[yOff + 3 * ys] = hsum(tmp, 3 * LANES);
    }
    static float hh(byte[] w, int o) { return Float.float16ToFloat((short) ((w[o] & 0xFF) | (w[o + 1] << 8))); }


    static void copyOnly(MemorySegment w, int in, int r0, int r1) {
        int rb = (int) DType.Q8_0.bytesOf(in);
        byte[] buf = ST.get();
        if (buf.length < 4 * rb) { buf = new byte[4 * rb]; ST.set(buf); }
        int t = 0;
        for (int r = r0; r + 4 <= r1; r += 4) { MemorySegment.copy(w, java.lang.foreign.ValueLayout.JAVA_BYTE, (long) r * rb, buf, 0, 4 * rb); t += buf[r & 1023]; }
        sink += t;
    }
    static void computeOnly(MemorySegment w, float[] x, int in, float[] y, int r0, int r1, float[] tmp) {
        int rb = (int) DType.Q8_0.bytesOf(in), blocks = in / 32;
        byte[] buf = ST.get();
        if (buf.length < 4 * rb) { buf = new byte[4 * rb]; ST.set(buf); MemorySegment.copy(w, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, buf, 0, 4 * rb); }
        for (int r = r0; r + 4 <= r1; r += 4) dot4t(buf, rb, x, blocks, y, r, 1, tmp, w, 0, 0);
    }

    public static void main(String[] a) throws Exception {
        int rows = Integer.parseInt(a[0]), cols = Integer.parseInt(a[1]), nm = Integer.parseInt(a[2]), threads = Integer.parseInt(a[3]);
        String mode = a[4];
        long rb = DType.Q8_0.bytesOf(cols);
        MemorySegment[] ws = new MemorySegment[nm];
        SplittableRandom r = new SplittableRandom(1);
        float[] row = new float[cols];
        for (int m = 0; m < nm; m++) {
            ws[m] = Arena.global().allocate(rb * rows, 64);
            for (int i = 0; i < rows; i++) { if (m == 0 || i < 4) for (int j = 0; j < cols; j++) row[j] = (float) r.nextGaussian(); Q8_0.INSTANCE.quantize(row, 0, cols / 32, ws[m], i * rb); }
        }
        float[] x = new float[cols]; for (int j = 0; j < cols; j++) x[j] = (float) r.nextGaussian();
        float[] y = new float[rows], yref = new float[rows];
        float[][] tmps = new float[threads][64];
        Q8_0.matvecStaged(ws[0], x, 0, cols, yref, 0, 0, rows, tmps[0]);
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(threads);
        for (int rep = 0; rep < 8; rep++) {
            long t = System.nanoTime(); long n = 0;
            while (System.nanoTime() - t < 1_000_000_000L) {
                MemorySegment w = ws[(int) (n % nm)];
                java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
                for (int th = 0; th < threads; th++) {
                    int lo = rows * th / threads, hi = rows * (th + 1) / threads; float[] tmp = tmps[th];
                    Runnable job = switch (mode) {
                        case "staged" -> () -> Q8_0.matvecStaged(w, x, 0, cols, y, 0, lo, hi, tmp);
                        case "t2" -> () -> stagedT(w, x, cols, y, lo, hi, tmp, 2);
                        case "t3" -> () -> stagedT(w, x, cols, y, lo, hi, tmp, 3);
                        case "copy" -> () -> copyOnly(w, cols, lo, hi);
                        case "compute" -> () -> computeOnly(w, x, cols, y, lo, hi, tmp);
                        case "t0" -> () -> stagedT(w, x, cols, y, lo, hi, tmp, 0);
                        case "streams" -> () -> Q8_0.matvecStreams(w, x, 0, cols, y, 0, lo, hi, tmp);
                        case "streamsU" -> () -> streamsU(w, x, cols, y, lo, hi, tmp);
                        default -> () -> adjacentU(w, x, cols, y, lo, hi, tmp);
                    };
                    if (threads == 1) job.run(); else fs.add(ex.submit(job));
                }
                for (var f : fs) f.get();
                n++;
            }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf("%s %.2f GB/s%n", mode, n * rb * rows / s / 1e9);
        }
        if (nm == 1) { float md = 0; for (int i = 0; i < rows; i++) md = Math.max(md, Math.abs(y[i] - yref[i])); System.out.println("maxdiff " + md); }
        ex.shutdown();
    }
}
