import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import dev.drllm.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * The same greedy generation (every layer) at least REPS times and 40 s in one JVM, printing each run's prefill ms
 * and decode tok/s: run 1 is what a cold process gets, the last ones are warm. Uses only runtime
 * classes that predate issue 16, so bench/warm-start.sh runs it against the old jar too.
 * Usage (single-file source launch): java --add-modules jdk.incubator.vector -cp JAR bench/WarmStart.java
 *   MODEL_DIR (text:PROMPT | ids:1,2,3 | random:N) NEW_TOKENS REPS
 */
public class WarmStart {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int newTokens = Integer.parseInt(a[2]), reps = Integer.parseInt(a[3]);
        try (Model m = Model.load(dir); CpuBackend b = new CpuBackend(m)) {
            int[] prompt;
            if (a[1].startsWith("text:")) prompt = Tokenizer.load(dir).encode(a[1].substring(5));
            else if (a[1].startsWith("random:")) prompt = new java.util.Random(11).ints(Integer.parseInt(a[1].substring(7)), 3, m.config().vocabSize()).toArray();
            else prompt = Arrays.stream(a[1].substring(4).split(",")).mapToInt(Integer::parseInt).toArray();
            Generator g = new Generator(b);
            long start = System.nanoTime();
            // at least REPS runs and 40 s: the JIT (and, from issue 16 on, the kernel warm-up) settles
            for (int r = 1; r <= reps || System.nanoTime() - start < 40_000_000_000L; r++) {
                GenerationResult res = g.generate(prompt, Prefill.fixed(LayerPath.full(m.config().numLayers())),
                        GenerationOptions.greedy(newTokens, Set.of()));
                System.out.printf("run %d at %.1f s: prompt %d tokens, prefill %.1f ms, %d new, decode %.2f tok/s%n", r,
                        (System.nanoTime() - start) / 1e9, prompt.length, res.prefillMs(), res.ids().length, res.decodeTokensPerSecond());
            }
        }
    }
}
