import dev.drllm.cpu.*;
import dev.drllm.model.*;
import dev.drllm.quant.BlockCodec;
import java.lang.foreign.*;
import java.nio.file.Path;
import java.util.*;

/** GEMM GFLOP/s: args dtype[,dtype] tokens ; -Drows -Dcols -Drounds -Dsec -Dwarm; threads from drllm.threads. */
public class GemmProbe {
    public static void main(String[] a) throws Exception {
        String[] ds = a[0].split(",");
        int tokens = Integer.parseInt(a[1]);
        int ROWS = Integer.getInteger("rows", 8192), COLS = Integer.getInteger("cols", 2048);
        Arena arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        Tensor[] mats = new Tensor[ds.length];
        for (int m = 0; m < ds.length; m++) {
            DType d = DType.valueOf(ds[m]);
            MemorySegment seg = arena.allocate(d.bytesOf((long) ROWS * COLS), 64);
            float[] row = new float[COLS];
            long rb = d.bytesOf(COLS);
            for (int r = 0; r < ROWS; r++) {
                for (int i = 0; i < COLS; i++) row[i] = (float) (rnd.nextDouble() - 0.5) * 0.04f;
                if (d.isQuantized()) BlockCodec.of(d).quantize(row, 0, COLS / d.blockSize(), seg, r * rb);
                else if (d == DType.BF16) for (int i = 0; i < COLS; i++) seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, (r * (long) COLS + i) * 2, (short) (Float.floatToIntBits(row[i]) >>> 16));
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
        int rounds = Integer.getInteger("rounds", 5);
        double sec = Double.parseDouble(System.getProperty("sec", "1.5"));
        for (int m = 0; m < mats.length; m++) {
            Tensor w = mats[m];
            boolean split = CpuKernels.pairSplit(w.dtype());
            Runnable op = () -> {
                pool.forRange(COLS, CpuKernels.PAIR, Long.MAX_VALUE, (from, to, wk) -> CpuKernels.transpose(x, tokens, COLS, xT, tp, split, from, to), 4);
                pool.forRange(ROWS, CpuKernels.TILE_ROWS, Long.MAX_VALUE, (from, to, wk) -> CpuKernels.gemmT(xT, tp, x, tokens, COLS, w, y, ROWS, from, to, wbuf[wk], yT, from * tp), Integer.getInteger("chunks", 16));
            };
            long w0 = System.nanoTime();
            while (System.nanoTime() - w0 < Double.parseDouble(System.getProperty("warm", "4")) * 1e9) op.run();
            double[] res = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                int n = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < sec * 1e9) { op.run(); n++; }
                res[r] = n / ((System.nanoTime() - t0) / 1e9) * 2.0 * ROWS * COLS * tokens / 1e9;
            }
            double[] s = res.clone(); Arrays.sort(s);
            System.out.printf("%s %dx%d t=%d threads=%d: median %.1f GFLOP/s (all %s)%n", w.dtype(), ROWS, COLS, tokens, pool.threads(), s[rounds / 2],
                Arrays.toString(Arrays.stream(res).map(q -> Math.round(q * 10) / 10.0).toArray()));
        }
        pool.close();
        System.exit(0);
    }
}
