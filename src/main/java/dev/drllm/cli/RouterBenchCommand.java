package dev.drllm.cli;

import dev.drllm.model.Model;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Backend;
import dev.drllm.runtime.Backends;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code drllm bench-router}: what routing costs at prefill next to the blocks it decides about.
 * Per layer: one block over T prompt tokens, versus one routing step (host copy of the hidden
 * state, window pooling, the router MLP on each window). Times are medians over the repetitions.
 */
@Command(name = "bench-router", mixinStandardHelpOptions = true, description = "Time a routing step against a transformer block at prefill.")
final class RouterBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptions models;
    @Option(names = "--model", required = true, description = "Hugging Face checkpoint directory or GGUF file") Path model;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default ${DEFAULT-VALUE})") String device;
    @Option(names = "--routers", description = "routers file (default: fresh xavier routers, R = 128, W = 8)") Path routersFile;
    @Option(names = "--tokens", defaultValue = "64", description = "prompt length T (default ${DEFAULT-VALUE})") int tokens;
    @Option(names = "--reps", defaultValue = "20", description = "timed repetitions (default ${DEFAULT-VALUE})") int reps;

    @Override
    public Integer call() {
        if (tokens < 1) throw new UserException("--tokens must be >= 1");
        if (reps < 1) throw new UserException("--reps must be >= 1");
        try (Model m = models.load(model); Backend b = Backends.open(m, device)) {
            var c = m.config();
            if (tokens > c.maxPositions()) throw new UserException("--tokens " + tokens + " exceeds the model's context of " + c.maxPositions());
            Routers routers = routersFile != null ? Routers.load(routersFile, c)
                    : Routers.xavier(c.numLayers(), c.hiddenSize(), Routers.DEFAULT_ROUTER_HIDDEN, WindowPooling.DEFAULT_WINDOWS, 1);
            WindowPooling pooling = routers.pooling();
            int[] prompt = new Random(7).ints(tokens, 0, c.vocabSize()).toArray();
            int L = c.numLayers();
            double[] block = new double[reps], route = new double[reps];
            try (KvCache cache = b.newCache(L, tokens); Hidden x = b.embed(prompt)) {
                for (int warm = 0; warm < 10; warm++) runOnce(b, routers, pooling, x, cache, L, null, null, 0);
                for (int r = 0; r < reps; r++) runOnce(b, routers, pooling, x, cache, L, block, route, r);
            }
            double bl = median(block) / L, ro = median(route) / L;
            System.out.printf("model %s, %s, T = %d, L = %d, H = %d, router width %d, W = %d (%d windows)%n", m.dir(), b.name(), tokens, L,
                    c.hiddenSize(), routers.get(0).routerHidden(), routers.windows(), pooling.windowCount(tokens));
            System.out.printf("block per layer:   %10.3f ms%n", bl);
            System.out.printf("routing per layer: %10.3f ms  (%.2f%% of a block)%n", ro, 100 * ro / bl);
        }
        return 0;
    }

    /** Runs every layer once along the full path (the hidden state drifts, which does not matter for timing). */
    private static void runOnce(Backend b, Routers routers, WindowPooling pooling, Hidden x, KvCache cache, int L,
                                double[] block, double[] route, int rep) {
        long tb = 0, tr = 0;
        for (int l = 0; l < L; l++) {
            long t0 = System.nanoTime();
            Router r = routers.get(l);
            float[] logits = pooling.logits(r, b, x);
            long t1 = System.nanoTime();
            b.block(l, x, cache, l);
            long t2 = System.nanoTime();
            tr += t1 - t0;
            tb += t2 - t1;
            if (!Float.isFinite(logits[0])) throw new IllegalStateException("non-finite router logits at layer " + l);
        }
        if (block != null) {
            block[rep] = tb / 1e6;
            route[rep] = tr / 1e6;
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
