package dev.drllm.api;

import dev.drllm.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many sessions on one loaded model from many threads: every output must equal the one computed
 * single-threaded for the same request (greedy and seeded sampling; full, fixed and routed paths;
 * id and text prompts; the three front doors mixed), tokens and executed path alike, and no KV memory may stay reserved afterwards.
 */
class ConcurrencyStressTest {
    static final int THREADS = 8;
    static final int REQUESTS = 48;

    static List<GenerateRequest> requests(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<GenerateRequest> out = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            int[] prompt = rnd.ints(1 + rnd.nextInt(24), 1, 512).toArray();
            GenerateRequest r = GenerateRequest.ofIds(prompt).withMaxNewTokens(1 + rnd.nextInt(12)).withStopTokens(Set.of());
            if (rnd.nextBoolean()) r = r.withSampling(Sampling.of(0.7f + rnd.nextFloat(), 0.9f, rnd.nextLong()));
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    int[] counts = new int[16];
                    for (int l = 0; l < 16; l++) counts[l] = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(10) == 0 ? 2 : 1;
                    r = r.withRouting(RoutingPolicy.fixed(dev.drllm.runtime.LayerPath.fromCounts(counts).layers()));
                }
                case 1 -> r = r.withRouting(RoutingPolicy.routed(rnd.nextFloat() * 2, -rnd.nextFloat(), rnd.nextBoolean() ? -1 : 10 + rnd.nextInt(8)));
                case 2 -> r = r.withRouting(RoutingPolicy.allLayers());
                default -> { }
            }
            if (rnd.nextInt(4) == 0) {
                r = new GenerateRequest(new GenerateRequest.Prompt.Text("Question: " + rnd.nextInt(100) + "+" + rnd.nextInt(100) + "=?\nAnswer: \\boxed{"),
                        r.maxNewTokens(), r.sampling(), r.routing(), r.stopTokens());
            }
            out.add(r);
        }
        return out;
    }

    /** ids followed by the executed path, so both are compared. */
    static int[] run(Session s, GenerateRequest r, int mode) {
        return switch (mode) {
            case 0 -> withPath(s.generate(r));
            case 1 -> {
                List<Integer> ids = new ArrayList<>();
                GenerateResult res = s.generate(r, t -> ids.add(t.id()));
                assertArrayEquals(res.ids(), ids.stream().mapToInt(Integer::intValue).toArray());
                yield withPath(res);
            }
            default -> {
                try (TokenStream ts = s.stream(r)) {
                    while (ts.hasNext()) ts.next();
                    yield withPath(ts.result());
                }
            }
        };
    }

    static int[] withPath(GenerateResult r) {
        int[] out = java.util.Arrays.copyOf(r.ids(), r.ids().length + 1 + r.executedPath().length);
        out[r.ids().length] = -1;
        System.arraycopy(r.executedPath(), 0, out, r.ids().length + 1, r.executedPath().length);
        return out;
    }

    @Test
    void concurrentSessionsReproduceSingleThreadedOutputs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        List<GenerateRequest> reqs = requests(7);
        java.nio.file.Path routers = tmp.resolve("routers.safetensors");
        // random routers: decisions vary with the prompt, so paths differ between concurrent requests
        dev.drllm.routing.Routers.xavier(16, 192, 128, 8, 5).save(routers, dev.drllm.model.DType.F32);
        try (DrLlm llm = DrLlm.load(Fixtures.tinyModel(), routers, LoadOptions.defaults().withThreads(2))) {
            int[][] expected = new int[reqs.size()][];
            try (Session s = llm.openSession()) {
                java.util.Set<String> paths = new java.util.HashSet<>();
                for (int i = 0; i < reqs.size(); i++) {
                    GenerateResult r = s.generate(reqs.get(i));
                    expected[i] = withPath(r);
                    paths.add(java.util.Arrays.toString(r.executedPath()));
                }
                assertEquals(true, paths.size() >= 8, "the requests must exercise many different paths, got " + paths.size());
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<int[][]>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int worker = t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        int[][] got = new int[reqs.size()][];
                        // each worker walks all requests from its own offset, one session per worker
                        try (Session s = llm.openSession()) {
                            for (int k = 0; k < reqs.size(); k += 1) {
                                int i = (k + worker * 5) % reqs.size();
                                if ((i + worker) % THREADS != 0 && k % 2 == 1) continue;
                                got[i] = run(s, reqs.get(i), (i + worker) % 3);
                            }
                        }
                        return got;
                    }));
                }
                go.countDown();
                int checked = 0;
                for (Future<int[][]> f : futures) {
                    int[][] got = f.get(5, TimeUnit.MINUTES);
                    for (int i = 0; i < got.length; i++) {
                        if (got[i] == null) continue;
                        assertArrayEquals(expected[i], got[i], "request " + i);
                        checked++;
                    }
                }
                assertEquals(true, checked >= REQUESTS * THREADS / 2, "checked " + checked);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, llm.kvBytesInUse());
        }
    }
}
