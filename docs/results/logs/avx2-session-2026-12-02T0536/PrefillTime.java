import dev.drllm.bench.ModelBench;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.kernels.Kernels;
import dev.drllm.model.Model;
import dev.drllm.runtime.*;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;

/** Whole 128-token prefills after the kernel warm-up: PrefillTime MODEL-PATH N -> median tok/s. */
public class PrefillTime {
    public static void main(String[] a) throws Exception {
        Path p = Path.of(a[0]);
        int n = Integer.parseInt(a[1]);
        try (Model m = Model.load(p); CpuBackend b = new CpuBackend(m)) {
            Kernels.warmUp(Duration.ofSeconds(120));
            PathExecutor ex = new PathExecutor(b);
            int L = m.config().numLayers(), V = m.config().vocabSize();
            LayerPath full = LayerPath.full(L);
            int[] prompt = new Random(11).ints(ModelBench.PROMPT, 3, V).toArray();
            double[] ms = new double[n];
            try (KvCache cache = b.newCache(L, ModelBench.PROMPT)) {
                for (int i = -2; i < n; i++) {
                    cache.truncate(0);
                    long s = System.nanoTime();
                    ex.forward(prompt, full, cache, true);
                    if (i >= 0) ms[i] = (System.nanoTime() - s) / 1e6;
                }
            }
            double[] st = ms.clone(); Arrays.sort(st);
            StringBuilder all = new StringBuilder();
            for (double v : ms) all.append(String.format(" %.1f", ModelBench.PROMPT * 1000 / v));
            System.out.printf("%s median %.1f tok/s (runs:%s)%n", p.getFileName(), ModelBench.PROMPT * 1000 / st[n / 2], all);
        }
    }
}
