import dev.drllm.bench.ModelBench;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.kernels.Kernels;
import dev.drllm.model.Model;
import dev.drllm.runtime.*;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;

/** One jar's decode, loaded in its own class loader by PairTime: getAsDouble() = ms of 16 decode steps after a 128-token prompt. */
public class DecodeRunner implements java.util.function.DoubleSupplier {
    final Model m; final CpuBackend b; final PathExecutor ex; final LayerPath full; final int[] prompt; final KvCache cache;
    public DecodeRunner(String path) throws Exception {
        m = Model.load(Path.of(path)); b = new CpuBackend(m);
        Kernels.warmUp(Duration.ofSeconds(120));
        ex = new PathExecutor(b);
        int L = m.config().numLayers(), V = m.config().vocabSize();
        full = LayerPath.full(L);
        prompt = new Random(11).ints(ModelBench.PROMPT, 3, V).toArray();
        cache = b.newCache(L, ModelBench.PROMPT + 64);
        ex.forward(prompt, full, cache, true);
    }
    public double getAsDouble() {
        cache.truncate(ModelBench.PROMPT);
        long s = System.nanoTime();
        for (int t = 0; t < 16; t++) ex.forward(new int[]{t + 5}, full, cache, true);
        return (System.nanoTime() - s) / 1e6;
    }
}
