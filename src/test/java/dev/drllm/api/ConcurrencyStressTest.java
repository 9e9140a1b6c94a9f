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
 * single-threaded for the same request (greedy and seeded sampling, full and custom paths, with
 * the three front doors mixed), and no KV memory may stay reserved afterwards.
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
            if (rnd.nextInt(3) == 0) {
                int[] counts = new int[16];
                for (int l = 0; l < 16; l++) counts[l] = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(10) == 0 ? 2 : 1;
                r = r.withRouting(RoutingPolicy.fixed(dev.drllm.runtime.LayerPath.fromCounts(counts).layers()));
            }
            out.add(r);
        }
        return out;
    }

    static int[] run(Session s, GenerateRequest r, int mode) {
        return switch (mode) {
            case 0 -> s.generate(r).ids();
            case 1 -> {
                List<Integer> ids = new ArrayList<>();
                s.generate(r, t -> ids.add(t.id()));
                yield ids.stream().mapToInt(Integer::intValue).toArray();
            }
            default -> {
                try (TokenStream ts = s.stream(r)) {
                    while (ts.hasNext()) ts.next();
                    yield ts.result().ids();
                }
            }
        };
    }

    @Test
    void concurrentSessionsReproduceSingleThreadedOutputs() throws Exception {
        List<GenerateRequest> reqs = requests(7);
        try (DrLlm llm = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withThreads(2))) {
            int[][] expected = new int[reqs.size()][];
            try (Session s = llm.openSession()) {
                for (int i = 0; i < reqs.size(); i++) expected[i] = s.generate(reqs.get(i)).ids();
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
