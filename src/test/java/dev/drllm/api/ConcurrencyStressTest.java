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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many sessions on one loaded model from many threads: every output must equal the one computed
 * single-threaded for the same request (greedy, seeded and near-zero-temperature sampling; full,
 * fixed and routed paths, including routings that skip every layer and are refused; id and text
 * prompts; the three front doors mixed), tokens and executed path alike, and no memory may stay
 * reserved afterwards. Then a service's habits (issue 24), bounded so the suite stays fast (the
 * acceptance sizes: {@link ServiceSoak}): streams abandoned from many threads at once, cancels
 * racing the start of a generation, many concurrent long requests in a 40 MiB heap, and the heap
 * running out with the budget lifted.
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
            else if (rnd.nextInt(6) == 0) r = r.withSampling(Sampling.of(Float.MIN_VALUE, 0.9f, rnd.nextLong())); // greedy in effect
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

    /** A request refused as invalid (an empty routed path): the refusal, too, must not depend on concurrency. */
    static final int[] REFUSED = {-2};

    /** ids followed by the executed path, so both are compared; {@link #REFUSED} for an invalid request. */
    static int[] run(Session s, GenerateRequest r, int mode) {
        try {
            return runOrThrow(s, r, mode);
        } catch (InvalidRequestException e) {
            return REFUSED;
        }
    }

    static int[] runOrThrow(Session s, GenerateRequest r, int mode) {
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
                    expected[i] = run(s, reqs.get(i), 0);
                    paths.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(expected[i], ids(expected[i]), expected[i].length)));
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
            assertEquals(0, llm.memoryInUse());
        }
    }

    /** Where the executed path starts in a {@link #withPath} row (after the -1). */
    static int ids(int[] row) {
        for (int i = 0; i < row.length; i++) if (row[i] == -1) return i + 1;
        return row.length;
    }

    /**
     * Streams dropped unfinished from {@link #THREADS} threads at once, their sessions closed,
     * cancelled or dropped too: the budget holds one request per thread and two more, so a
     * few leaked reservations would soon refuse every round. Nothing may leak, and nothing may stay reserved once the
     * garbage is collected.
     */
    @Test
    void abandonedStreamsFromManyThreadsNeverLeak() throws Exception {
        long perRequest;
        try (DrLlm probe = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withThreads(2))) {
            try (Session s = probe.openSession(); TokenStream ts = s.stream(ServiceSoak.LONG)) {
                ts.hasNext();
                perRequest = probe.memoryInUse();
            }
        }
        try (DrLlm llm = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withThreads(2)
                .withLimits(Limits.defaults().withMemoryBudgetBytes((THREADS + 2) * perRequest)))) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<ServiceSoak.Abandoned>> fs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) fs.add(pool.submit(() -> ServiceSoak.abandon(llm, 30, 20_000)));
                for (Future<ServiceSoak.Abandoned> f : fs) assertEquals(0, f.get(5, TimeUnit.MINUTES).leaked(), "rounds refused for good");
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < 200 && llm.memoryInUse() != 0; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertEquals(0, llm.memoryInUse());
        }
    }

    /**
     * A cancel released together with another thread's {@code generate()} on the same session,
     * 200 times: whichever wins, the generation ends CANCELLED (issue 24: 44 of 50 ran to MAX_TOKENS).
     */
    @Test
    void cancelRacingTheStartOfAGenerationIsNeverLost() throws Exception {
        try (DrLlm llm = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withThreads(2))) {
            ServiceSoak.Races r = ServiceSoak.cancelRaces(llm, 200);
            assertEquals(0, r.lost(), r.toString());
            assertEquals(0, llm.memoryInUse());
        }
    }

    /**
     * 16 threads of long requests (and a thread holding streams open until the budget refuses)
     * in a child JVM at -Xmx40m with the default limits: no OutOfMemoryError, the budget back
     * to 0; then, the budget lifted, the heap does run out and every reservation is still freed.
     */
    @Test
    void smallHeapRefusesInsteadOfRunningOutOfMemory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String out = childJvm(tmp, "40m", "small-heap", "16", "1");
        assertTrue(out.contains("OK small-heap"), out);
        out = childJvm(tmp, "40m", "oom-recovery", "64");
        assertTrue(out.contains("OK oom-recovery"), out);
        // and the budget's bound covers what generations really retain
        out = childJvm(tmp, "256m", "bound", "4");
        assertTrue(out.contains("OK bound"), out);
    }

    /** Runs {@link ServiceSoak} in a fresh JVM with the given heap; its output. */
    static String childJvm(java.nio.file.Path tmp, String heap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Ddrllm.project.dir=" + Fixtures.projectDir(), "-cp", System.getProperty("java.class.path"), ServiceSoak.class.getName()));
        cmd.addAll(List.of(args));
        java.nio.file.Path log = tmp.resolve(args[0] + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ServiceSoak " + String.join(" ", args) + " did not finish in 3 minutes:\n" + java.nio.file.Files.readString(log));
        }
        String out = java.nio.file.Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
