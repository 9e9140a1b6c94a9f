import dev.drllm.model.DType;
import dev.drllm.quant.BlockCodec;
import java.lang.foreign.*;
import java.util.*;
import java.util.concurrent.*;

/** StreamAB TYPE ROWS COLS ROUNDS: decode matvec, 2 threads, matrices cycling through 768 MiB; rounds alternate row order (plain / 4 streams). */
public class StreamAB {
    public static void main(String[] a) throws Exception {
        DType d = DType.valueOf(a[0]); int rows = Integer.parseInt(a[1]), cols = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]);
        BlockCodec c = BlockCodec.of(d);
        long rb = d.bytesOf(cols), bytes = rb * rows;
        int n = (int) Math.max(2, (768L << 20) / bytes);
        Arena arena = Arena.ofShared();
        MemorySegment[] m = new MemorySegment[n];
        SplittableRandom rnd = new SplittableRandom(1);
        float[] row = new float[cols];
        for (int i = 0; i < n; i++) {
            m[i] = arena.allocate(bytes, 64);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) row[k] = (float) (rnd.nextDouble() - 0.5) * 0.04f;
                c.quantize(row, 0, cols / d.blockSize(), m[i], r * rb);
            }
        }
        float[] x = new float[cols]; for (int k = 0; k < cols; k++) x[k] = (float) rnd.nextDouble() - 0.5f;
        float[] y0 = new float[rows], y1 = new float[rows];
        ExecutorService ex = Executors.newFixedThreadPool(2);
        int[] next = {0};
        java.util.function.Function<float[], Double> op = (y) -> {
            MemorySegment w = m[next[0]++ % n];
            List<Callable<Object>> jobs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int r0 = t * rows / 2, r1 = (t + 1) * rows / 2;
                jobs.add(() -> { float[] tmp = new float[64]; c.matvec(w, x, 0, cols, y, 0, r0, r1, tmp); return null; });
            }
            try { for (Future<Object> f : ex.invokeAll(jobs)) f.get(); } catch (Exception e) { throw new RuntimeException(e); }
            return 0.0;
        };
        String[] names = {"plain", "streams"};
        List<List<Double>> gbs = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = -2; r < rounds; r++) {
            for (int v0 = 0; v0 < 2; v0++) {
                int v = (v0 + Math.max(r, 0)) % 2;
                set(v == 1);
                float[] y = v == 0 ? y0 : y1;
                long s = System.nanoTime(); int ops = 0;
                while (System.nanoTime() - s < 1_500_000_000L) { op.apply(y); ops++; }
                double g = ops * (double) bytes / (System.nanoTime() - s);
                if (r >= 0) gbs.get(v).add(g);
            }
            if (r >= 0) System.out.printf("round %d: plain %.1f, streams %.1f GB/s%n", r, gbs.get(0).get(r), gbs.get(1).get(r));
        }
        set(false); op.apply(y0); next[0]--; next[0] += 0; set(true);
        // same bits check on one matrix
        next[0] = 0; set(false); op.apply(y0); next[0] = 0; set(true); op.apply(y1);
        System.out.println("same bits: " + Arrays.equals(y0, y1));
        for (int v = 0; v < 2; v++) { List<Double> l = new ArrayList<>(gbs.get(v)); Collections.sort(l); System.out.printf("%s %s %dx%d: median %.1f GB/s (min %.1f, max %.1f)%n", a[0], names[v], rows, cols, l.get(l.size() / 2), l.get(0), l.get(l.size() - 1)); }
        System.exit(0);
    }
    static void set(boolean on) { dev.drllm.quant.Q4_K.STREAMS = on; dev.drllm.quant.Q6_K.STREAMS = on; }
}
