package dev.drllm.bench;

import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.routing.Router;
import dev.drllm.routing.Routers;
import dev.drllm.routing.WindowPooling;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end speed of the CPU backend on a checkpoint: prefill of a 128-token prompt (one op =
 * the whole prompt, batched GEMM) and decode (one op = one new token after that prompt, through
 * the executor exactly as the generator runs it). {@code path}: {@code full} runs every layer,
 * {@code half} a routed path executing every other layer (what a router that skips half the
 * blocks produces; the decision itself is timed by {@code route}). {@code route}: the routing
 * step of every layer at prefill (window pooling + router MLP, W = 8, R = 128) on the prompt's
 * hidden state, to set against {@code prefill}.
 *
 * <p>Models: {@code tiny} (models/drllm-tiny), {@code 1b} (bench/data/llama-1b-random, made by
 * {@link MakeCheckpoint}) and its GGUF twins {@code 1b-q8_0}, {@code 1b-q4_k_m}; paths resolve against {@code -Ddrllm.root} (default: the working
 * directory). Threads: {@code -Ddrllm.threads} (the run script passes 2).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 4, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class ModelBench {
    public static final int PROMPT = 128;
    /** Decode positions before the cache is rewound to the prompt: contexts stay within 128..384. */
    static final int DECODE_SPAN = 256;

    @Param({"tiny", "1b", "1b-q8_0", "1b-q4_k_m"})
    public String model;

    @Param({"full", "half"})
    public String path;

    private Model m;
    private CpuBackend backend;
    private PathExecutor executor;
    private LayerPath layers;
    private KvCache cache;
    private int[] prompt;
    private int token;
    private Routers routers;
    private WindowPooling pooling;
    private Hidden promptHidden;

    public static Path modelDir(String name) {
        Path root = Path.of(System.getProperty("drllm.root", "."));
        return switch (name) {
            case "tiny" -> root.resolve("models/drllm-tiny");
            case "1b" -> root.resolve("bench/data/llama-1b-random");
            // GGUF files of the same checkpoint (bench/run.sh: Q8_0 by drllm quantize, Q4_K_M by llama-quantize when built)
            case "1b-q8_0" -> root.resolve("bench/data/llama-1b-random.q8_0.gguf");
            case "1b-q4_k_m" -> root.resolve("bench/data/llama-1b-random.q4_k_m.gguf");
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    public static LayerPath path(String name, int L) {
        if (name.equals("full")) return LayerPath.full(L);
        int[] counts = new int[L];
        for (int l = 0; l < L; l += 2) counts[l] = 1;
        return LayerPath.fromCounts(counts);
    }

    @Setup(Level.Trial)
    public void setup() {
        Path dir = modelDir(model);
        if (!Files.exists(dir)) throw new IllegalStateException("missing model " + dir + " (bench/run.sh makes it)");
        m = Model.load(dir);
        backend = new CpuBackend(m);
        executor = new PathExecutor(backend);
        int L = m.config().numLayers(), V = m.config().vocabSize();
        layers = path(path, L);
        prompt = new Random(11).ints(PROMPT, 3, V).toArray();
        cache = backend.newCache(layers.length(), PROMPT + DECODE_SPAN);
        routers = Routers.xavier(L, m.config().hiddenSize(), Routers.DEFAULT_ROUTER_HIDDEN, WindowPooling.DEFAULT_WINDOWS, 5);
        pooling = routers.pooling();
        warmUpKernels();
        // not timed: the background kernel warm-up competes for a core until every family has switched (~8 s on the
        // 2-core AVX2 EPYC, where a 3-4 s JMH warm-up iteration holds about one 1B prefill); as MatvecBench
        KernelsBench.awaitVectorKernels();
        executor.forward(prompt, layers, cache, true);
        promptHidden = backend.embed(prompt);
        token = prompt[PROMPT - 1];
    }

    /**
     * Compiles the kernels on the tiny model first: interpreted, the Vector API boxes every
     * vector, and a first 1B token would take minutes instead of a fraction of a second.
     */
    static void warmUpKernels() {
        try (Model tiny = Model.load(modelDir("tiny")); CpuBackend b = new CpuBackend(tiny)) {
            PathExecutor ex = new PathExecutor(b);
            LayerPath full = LayerPath.full(tiny.config().numLayers());
            for (int rep = 0; rep < 30; rep++) {
                try (KvCache c = b.newCache(full.length(), 64)) {
                    ex.forward(new Random(rep).ints(16, 0, tiny.config().vocabSize()).toArray(), full, c, true);
                    for (int t = 0; t < 40; t++) ex.forward(new int[]{t}, full, c, true);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        promptHidden.close();
        cache.close();
        backend.close();
        m.close();
    }

    @Benchmark
    public float decode() {
        if (cache.length() >= PROMPT + DECODE_SPAN) cache.truncate(PROMPT);
        float[] logits = executor.forward(new int[]{token}, layers, cache, true);
        token = (token * 31 + 7) % m.config().vocabSize(); // any next id: greedy on random weights would be as good
        return logits[0];
    }

    @Benchmark
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 8)
    public float prefill() {
        cache.truncate(0);
        return executor.forward(prompt, layers, cache, true)[0];
    }

    @Benchmark
    public float route() {
        float s = 0;
        for (int l = 0; l < routers.numLayers(); l++) {
            Router r = routers.get(l);
            s += pooling.logits(r, backend, promptHidden)[0];
        }
        return s;
    }
}
