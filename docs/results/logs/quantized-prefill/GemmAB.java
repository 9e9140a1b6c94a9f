import dev.drllm.cpu.*;
import dev.drllm.model.*;
import dev.drllm.quant.BlockCodec;
import java.lang.foreign.*;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.*;

/** A/B of GEMM knobs in one JVM: args dtype tokens field=v1,v2,... [field2=...] ; alternates the settings. */
public class GemmAB {
    public static void main(String[] a) throws Exception {
        DType d = DType.valueOf(a[0]);
        int tokens = Integer.parseInt(a[1]);
        int ROWS = Integer.getInteger("rows", 8192), COLS = Integer.getInteger("cols", 2048);
        List<String[]> settings = new ArrayList<>();
        for (String s : a[2].split(";")) settings.add(s.split(","));
        Arena arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        Tensor[] mats = new Tensor[2];
        for (int m = 0; m < 2; m++) {
            MemorySegment seg = arena.allocate(d.bytesOf((long) ROWS * COLS), 64);
            float[] row = new float[COLS];
            long rb = d.bytesOf(COLS);
            for (int r = 0; r < ROWS; r++) {
                for (int i = 0; i < COLS; i++) row[i] = (float) (rnd.nextDouble() - 0.5) * 0.04f;
                if (d.isQuantized()) BlockCodec.of(d).quantize(row, 0, COLS / d.blockSize(), seg, r * rb);
                else if (d == DType.BF16) for (int i = 0; i < COLS; i++) seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, (r * (long) COLS + i) * 2, (short) (Float.floatToIntBits(row[i]) >>> 16));
                else if (d == DType.F32) for (int i = 0; i < COLS; i++) seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, (r * (long) COLS + i) * 4, row[i]);
            }
            mats[m] = new Tensor(Path.of("bench"), "w" + m, d, new long[]{ROWS, COLS}, seg);
        }
        CpuPool pool = new CpuPool(CpuPool.defaultThreads());
        float[] x = new float[tokens * COLS];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        float[] y = new float[tokens * ROWS];
        float[][] wbuf = new float[pool.threads()][CpuKernels.WBUF];
        int tp = CpuKernels.paddedTokens(tokens);
        MemorySegment xT = arena.allocate((long) COLS * tp * 4, CpuKernels.XT_ALIGN);
        float[] yT = new float[ROWS * tp];
        Class<?> k = CpuKernels.class;
        int nv = settings.get(0).length - 1;
        String[][] names = new String[settings.size()][];
        double[][] res = new double[nv][];
        int rounds = Integer.getInteger("rounds", 6);
        for (int v = 0; v < nv; v++) res[v] = new double[rounds];
        boolean split = CpuKernels.pairSplit(d);
        Runnable op = () -> {
            pool.forRange(COLS, CpuKernels.PAIR, Long.MAX_VALUE, (from, to, w) -> CpuKernels.transpose(x, tokens, COLS, xT, tp, split, from, to), 4);
            pool.forRange(ROWS, 8, Long.MAX_VALUE, (from, to, w) -> CpuKernels.gemmT(xT, tp, x, tokens, COLS, mats[0], y, ROWS, from, to, wbuf[w], yT, from * tp), 16);
        };
        double sec = Double.parseDouble(System.getProperty("sec", "1.5"));
        long w0 = System.nanoTime();
        while (System.nanoTime() - w0 < Double.parseDouble(System.getProperty("warm", "6")) * 1e9) op.run();
        for (int r = -1; r < rounds; r++) {
            for (int v = 0; v < nv; v++) {
                StringBuilder nm = new StringBuilder();
                for (String[] s : settings) {
                    Field f = k.getDeclaredField(s[0]);
                    f.setAccessible(true);
                    f.setInt(null, Integer.parseInt(s[v + 1]));
                    nm.append(s[0]).append('=').append(s[v + 1]).append(' ');
                }
                int n = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < sec * 1e9) { op.run(); n++; }
                double ops = n / ((System.nanoTime() - t0) / 1e9);
                if (r >= 0) res[v][r] = ops;
                if (r == rounds - 1) {
                    double[] s = res[v].clone(); Arrays.sort(s);
                    System.out.printf("%s %s t=%d: median %.1f ops/s = %.1f GFLOP/s  (all %s)%n", d, nm, tokens, s[rounds / 2],
                        s[rounds / 2] * 2.0 * ROWS * COLS * tokens / 1e9, Arrays.toString(Arrays.stream(res[v]).map(q -> Math.round(q * 10) / 10.0).toArray()));
                }
            }
        }
        pool.close();
        System.exit(0);
    }
}
