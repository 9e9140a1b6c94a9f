package dev.drllm.bench;

import dev.drllm.api.DrLlm;
import dev.drllm.api.GenerateRequest;
import dev.drllm.api.LoadOptions;
import dev.drllm.api.Sampling;
import dev.drllm.api.Session;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tail latency, JMH SampleTime (every call timed; the table reports p50 / p99 / p99.9 / max), with
 * {@code -t 1} or {@code -t 2} concurrent sessions on one loaded model, after {@code DrLlm.warmUp()}:
 * <ul>
 *   <li>{@code ttft}: time to first token of a 32-token prompt through the embedding API (request
 *       validation, KV reservation, prefill of every layer, first token): one session per thread,
 *       a request with {@code maxNewTokens = 1};
 *   <li>{@code decodeToken}: one decode step (all layers, LM head) of one sequence, through the
 *       executor the API's generations use; each thread owns a sequence, rewound from 288 to 32
 *       positions so contexts stay 32–288.
 * </ul>
 * Models as {@link ModelBench} ({@code tiny}, {@code 1b}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class LatencyBench {
    static final int PROMPT = 32, SPAN = 256;

    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"tiny", "1b"})
        public String model;

        DrLlm llm;
        Model m;
        CpuBackend backend;
        PathExecutor executor;
        int[] prompt;

        @Setup(Level.Trial)
        public void setup() {
            Path dir = ModelBench.modelDir(model);
            if (!Files.isDirectory(dir)) throw new IllegalStateException("missing model " + dir + " (bench/run.sh makes it)");
            llm = DrLlm.load(dir, null, LoadOptions.defaults());
            System.out.println(llm.warmUp(java.time.Duration.ofMinutes(5)));
            m = Model.load(dir);
            backend = new CpuBackend(m);
            executor = new PathExecutor(backend);
            prompt = new Random(3).ints(PROMPT, 3, m.config().vocabSize()).toArray();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            llm.close();
            backend.close();
            m.close();
        }
    }

    @State(Scope.Thread)
    public static class Sequence {
        Session session;
        GenerateRequest first;
        KvCache cache;
        LayerPath path;
        float[] logits;
        int token;

        @Setup(Level.Trial)
        public void setup(Engine e) {
            session = e.llm.openSession();
            first = GenerateRequest.ofIds(e.prompt).withMaxNewTokens(1).withSampling(Sampling.GREEDY).withStopTokens(Set.of());
            path = LayerPath.full(e.m.config().numLayers());
            cache = e.backend.newCache(path.length(), PROMPT + SPAN);
            logits = new float[e.m.config().vocabSize()];
            e.executor.forward(e.prompt, path, cache, true);
            token = e.prompt[PROMPT - 1];
            // the sequence's own warm-up: a full span of steps before measuring
            for (int i = 0; i < 64; i++) step(e);
        }

        float step(Engine e) {
            if (cache.length() >= PROMPT + SPAN) cache.truncate(PROMPT);
            e.executor.step(token, path, cache, logits, null);
            token = (token * 31 + 7) % e.m.config().vocabSize();
            return logits[0];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
            cache.close();
        }
    }

    @Benchmark
    public int ttft(Sequence s) {
        return s.session.generate(s.first).ids()[0];
    }

    @Benchmark
    public float decodeToken(Engine e, Sequence s) {
        return s.step(e);
    }
}
