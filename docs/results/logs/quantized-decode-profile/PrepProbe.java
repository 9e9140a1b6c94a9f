import dev.drllm.model.DType;
import dev.drllm.quant.BlockCodec;
import java.lang.foreign.*;

public class PrepProbe {
    public static void main(String[] a) {
        for (DType d : new DType[]{DType.Q6_K, DType.Q4_K}) {
            for (int n : new int[]{2048, 8192}) {
                BlockCodec c = BlockCodec.of(d);
                MemorySegment w = Arena.global().allocate(d.bytesOf(n));
                float[] x = new float[n], y = new float[1], tmp = new float[64];
                for (int i = 0; i < n; i++) x[i] = (float) Math.sin(i);
                double best = 1e9;
                for (int rep = 0; rep < 30; rep++) {
                    long t = System.nanoTime();
                    for (int k = 0; k < 1000; k++) c.matvec(w, x, 0, n, y, 0, 0, 0, tmp);
                    best = Math.min(best, (System.nanoTime() - t) / 1000.0 / 1000);
                }
                System.out.printf("%s n=%d prep %.2f us%n", d, n, best);
            }
        }
    }
}
