package dev.drllm.api;

import dev.drllm.Fixtures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedding API under a service's habits (issue 24), as runnable programs: the bounded runs
 * are in {@link ConcurrencyStressTest}, the acceptance sizes run from the command line (test
 * classpath, README "Embedding API"):
 * <pre>
 * abandon N              N streams dropped unfinished (no close), alternately freed by GC, session.close(), session.cancel()
 * cancel-race N          N cancels racing another thread entering generate(): every one must end CANCELLED
 * small-heap THREADS R   streams opened until the budget refuses, then THREADS threads × R long requests (streams
 *                        held open, generate, routed/full) at whatever -Xmx is given: none may throw OutOfMemoryError,
 *                        the budget must be back to 0
 * bound K                K streams of each of three shapes held open: the heap each retains must be at most what it reserved
 * huge-prompt MB         a text prompt of MB megabytes: refused (CONTEXT) after tokenizing only the context's worth; prints the time
 * threads N             decode speed with one worker per core vs N workers (why DrLlm caps threads at the cores)
 * oom-recovery N         the budget lifted, up to N long streams opened until the heap runs out: after closing them
 *                        the budget must be back to 0 and the model still generate
 * </pre>
 * Each prints one summary line and exits non-zero when the property does not hold.
 */
public final class ServiceSoak {
    private ServiceSoak() {}

    static final GenerateRequest LONG = GenerateRequest.ofText("Question: Which number is even?\n(A) 99\n(B) 67\n(C) 33\n(D) 88\nAnswer: ")
            .withMaxNewTokens(200).withStopTokens(Set.of());

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (OutOfMemoryError e) {
            // the heap is free again once the failed run's objects are unreachable: say where it ran out
            System.gc();
            System.out.println("FAIL " + args[0] + ": OutOfMemoryError escaped");
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("threads")) {
            oversubscription(Path.of(System.getProperty("drllm.soak.model", Fixtures.tinyModel().toString())), Integer.parseInt(args[1]));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: ServiceSoak abandon N | cancel-race N | small-heap THREADS ROUNDS | bound K | oom-recovery N | huge-prompt MB | threads N"
                    + "   (-Ddrllm.soak.model=DIR, default the tiny model)");
            System.exit(2);
        }
        Path model = Path.of(System.getProperty("drllm.soak.model", Fixtures.tinyModel().toString()));
        String result;
        boolean ok;
        LoadOptions opts = LoadOptions.defaults().withThreads(2);
        // oom-recovery lifts the budget so the heap, not the budget, runs out: every error path must still free
        if (args[0].equals("oom-recovery")) opts = opts.withLimits(Limits.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
        try (DrLlm llm = DrLlm.load(model, opts)) {
            switch (args[0]) {
                case "abandon" -> {
                    Abandoned r = abandon(llm, Integer.parseInt(args[1]), 60_000);
                    ok = r.leaked == 0 && r.inUseAfter == 0;
                    result = r.toString();
                }
                case "cancel-race" -> {
                    Races r = cancelRaces(llm, Integer.parseInt(args[1]));
                    ok = r.lost == 0;
                    result = r.toString();
                }
                case "small-heap" -> {
                    OpenStreams o = openStreams(llm, 32);
                    SmallHeap r = smallHeap(llm, Integer.parseInt(args[1]), Integer.parseInt(args[2]), 1);
                    ok = o.oom == 0 && o.opened > 0 && r.oom == 0 && r.otherErrors == 0 && r.inUseAfter == 0 && r.completed > 0;
                    result = o + " " + r + " maxHeap=" + (Runtime.getRuntime().maxMemory() >> 20) + "MiB budget="
                            + llm.limits().memoryBudgetBytes();
                }
                case "oom-recovery" -> {
                    OomRecovery r = oomRecovery(llm, Integer.parseInt(args[1]));
                    ok = r.oom == 1 && r.inUseAfter == 0 && r.afterwards == GenerateResult.StopReason.MAX_TOKENS;
                    result = r.toString();
                }
                case "huge-prompt" -> {
                    String text = "The quick brown fox jumps over the lazy dog. ".repeat(Integer.parseInt(args[1]) * (1 << 20) / 45);
                    long t0 = System.nanoTime();
                    String outcome;
                    try {
                        llm.generate(GenerateRequest.ofText(text).withMaxNewTokens(16));
                        outcome = "generated";
                    } catch (LimitExceededException e) {
                        outcome = e.limit() + ": " + e.getMessage();
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    ok = outcome.startsWith("CONTEXT");
                    result = String.format("%d chars refused in %.1f ms (%s)", text.length(), ms, outcome);
                }
                case "bound" -> {
                    // the background kernel warm-up (the tiny model is below KernelWarmup.LARGE_MODEL) allocates its own
                    // buffers while it compares kernels: finished first, it cannot land in a stream's measured heap
                    // (unfinished, it put 7.5-8.3 MB per stream against 6.6 MB reserved on a loaded 2-core machine)
                    llm.warmUp(java.time.Duration.ofMinutes(3));
                    List<Bound> rows = bounds(llm, Integer.parseInt(args[1]));
                    ok = rows.stream().allMatch(b -> b.retainedPerStream <= b.reservedPerStream);
                    result = rows.toString();
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
        System.out.println((ok ? "OK " : "FAIL ") + args[0] + " " + result);
        System.exit(ok ? 0 : 1);
    }

    /**
     * Why {@link DrLlm} caps CPU threads at the cores: greedy decode of the same request with one
     * worker per core and with {@code threads} workers (the low-level backend, which does not
     * cap), best of 3 runs each; prints tokens per second and whether the tokens agree.
     */
    static void oversubscription(Path model, int threads) {
        int cores = Runtime.getRuntime().availableProcessors();
        int[] prompt = new SplittableRandom(9).ints(32, 1, 512).toArray();
        int[][] ids = new int[2][];
        double[] tokPerS = new double[2];
        int[] counts = {cores, threads};
        try (dev.drllm.model.Model m = dev.drllm.model.Model.load(model)) {
            for (int k = 0; k < 2; k++) {
                try (dev.drllm.cpu.CpuBackend b = new dev.drllm.cpu.CpuBackend(m, counts[k])) {
                    dev.drllm.runtime.Generator g = new dev.drllm.runtime.Generator(b);
                    dev.drllm.runtime.LayerPath full = dev.drllm.runtime.LayerPath.full(m.config().numLayers());
                    for (int run = 0; run < 4; run++) { // the first run warms the JIT and is not counted
                        long t0 = System.nanoTime();
                        var r = g.generate(prompt, dev.drllm.runtime.Prefill.fixed(full), dev.drllm.runtime.GenerationOptions.greedy(64, Set.of()));
                        double tps = r.ids().length * 1e9 / (System.nanoTime() - t0);
                        if (run > 0) tokPerS[k] = Math.max(tokPerS[k], tps);
                        ids[k] = r.ids();
                    }
                }
            }
        }
        System.out.printf("cores=%d: %d threads %.1f tok/s, %d threads %.1f tok/s (%.1fx slower), same tokens: %b%n", cores, cores,
                tokPerS[0], threads, tokPerS[1], tokPerS[0] / tokPerS[1], java.util.Arrays.equals(ids[0], ids[1]));
    }

    record Abandoned(int rounds, int waitsForGc, int leaked, long inUseAfter, long msToFree) {}

    /**
     * {@code rounds} streams read one token and dropped without {@code close()}: the sessions of
     * a third are closed, of a third cancelled, and the last third dropped as well, so only the
     * Cleaner can free them. A round refused for memory (garbage streams not yet collected) waits
     * for a collection and retries; one still refused after 100 collections is a leak. Afterwards
     * nothing may stay reserved once the garbage is collected.
     */
    static Abandoned abandon(DrLlm llm, int rounds, long waitMs) throws InterruptedException {
        int waits = 0, leaked = 0;
        for (int i = 0; i < rounds; i++) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Session s = llm.openSession();
                    s.stream(LONG).hasNext();
                    switch (i % 3) {
                        case 0 -> s.close();
                        case 1 -> s.cancel();
                        default -> { } // session and stream both dropped
                    }
                    break;
                } catch (LimitExceededException e) {
                    if (attempt == 100) {
                        leaked++;
                        break;
                    }
                    waits++;
                    System.gc(); // the budget is full of dropped streams: collecting them frees it
                    Thread.sleep(5);
                }
            }
        }
        long t0 = System.nanoTime();
        while (llm.memoryInUse() != 0 && System.nanoTime() - t0 < waitMs * 1_000_000L) {
            System.gc();
            Thread.sleep(10);
        }
        return new Abandoned(rounds, waits, leaked, llm.memoryInUse(), (System.nanoTime() - t0) / 1_000_000);
    }

    record Races(int races, int lost, int cancelledBeforeFirstToken) {}

    /**
     * One thread enters {@code generate()} as another calls {@code cancel()} on the same session,
     * released together by a latch: whichever wins, the generation must end CANCELLED (a cancel
     * before the start is pending for it, one after reaches it), never run to MAX_TOKENS.
     */
    static Races cancelRaces(DrLlm llm, int races) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int lost = 0, early = 0;
        try {
            for (int i = 0; i < races; i++) {
                try (Session s = llm.openSession()) {
                    CountDownLatch go = new CountDownLatch(1);
                    Future<GenerateResult> gen = pool.submit(() -> {
                        go.await();
                        return s.generate(LONG);
                    });
                    Future<?> cancel = pool.submit(() -> {
                        go.await();
                        // spread the cancel over the window around generate()'s start
                        for (int spin = (int) (Math.random() * 2000); spin > 0; spin--) Thread.onSpinWait();
                        s.cancel();
                        return null;
                    });
                    go.countDown();
                    cancel.get(1, TimeUnit.MINUTES);
                    GenerateResult r = gen.get(1, TimeUnit.MINUTES);
                    if (r.stopReason() != GenerateResult.StopReason.CANCELLED) lost++;
                    else if (r.ids().length == 0) early++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Races(races, lost, early);
    }

    record OpenStreams(int opened, int refused, int oom, long inUseAfter) {}

    /**
     * One thread opens up to {@code max} streams of 200-token prompts + 48 new tokens over every
     * layer, one session each, starting each (prefill) and holding them all open; then reads them
     * all to the end. The budget must refuse the stream that would not fit, never let it run out of heap.
     */
    static OpenStreams openStreams(DrLlm llm, int max) {
        GenerateRequest r = GenerateRequest.ofIds(new SplittableRandom(3).ints(200, 1, 512).toArray()).withMaxNewTokens(48)
                .withStopTokens(Set.of()).withRouting(RoutingPolicy.allLayers());
        List<TokenStream> open = new ArrayList<>();
        int refused = 0, oom = 0;
        try {
            for (int i = 0; i < max; i++) {
                try {
                    TokenStream s = llm.openSession().stream(r);
                    open.add(s);
                    s.hasNext();
                } catch (LimitExceededException e) {
                    refused++;
                } catch (OutOfMemoryError e) {
                    oom++;
                }
            }
            for (TokenStream s : open) {
                try {
                    while (s.hasNext()) s.next();
                } catch (OutOfMemoryError e) {
                    oom++;
                }
            }
        } finally {
            for (TokenStream s : open) s.close();
        }
        return new OpenStreams(open.size(), refused, oom, llm.memoryInUse());
    }

    record OomRecovery(int opened, int oom, long inUseAfter, GenerateResult.StopReason afterwards) {}

    /**
     * With the budget lifted, opens up to {@code max} long streams until the heap runs out
     * ({@code OutOfMemoryError} inside a prefill, a cache or a stream's creation), closes them all,
     * and then requires the budget back at 0 and the model still generating.
     */
    static OomRecovery oomRecovery(DrLlm llm, int max) {
        GenerateRequest r = GenerateRequest.ofIds(new SplittableRandom(5).ints(240, 1, 512).toArray()).withMaxNewTokens(16)
                .withStopTokens(Set.of()).withRouting(RoutingPolicy.allLayers());
        TokenStream[] open = new TokenStream[max];
        int opened = 0, oom = 0;
        OutOfMemoryError first = null;
        try {
            for (int i = 0; i < max && oom == 0; i++) {
                try {
                    open[i] = llm.openSession().stream(r);
                    opened++;
                    open[i].hasNext();
                } catch (OutOfMemoryError e) {
                    oom++;
                    first = e;
                }
            }
        } finally {
            for (TokenStream s : open) {
                try {
                    if (s != null) s.close();
                } catch (OutOfMemoryError e) {
                    oom++; // closing must not be what fails: counted, and the check below then fails the run
                    first = e;
                }
            }
            open = null;
        }
        if (first != null) {
            StackTraceElement[] at = first.getStackTrace();
            System.out.println("the heap ran out at " + (at.length > 0 ? at[0] : "?") + (at.length > 1 ? " < " + at[1] : ""));
        }
        long inUse = llm.memoryInUse();
        GenerateResult after = llm.generate(GenerateRequest.ofIds(1, 2, 3).withMaxNewTokens(2).withStopTokens(Set.of()));
        return new OomRecovery(opened, oom, inUse, after.stopReason());
    }

    record Bound(String kind, long retainedPerStream, long reservedPerStream) {}

    /**
     * The budget's bound against what generations really hold: for a long prompt over every
     * layer, the same routed, and a short prompt, opens {@code k} streams past their first decode
     * step (prefill-sized scratch and all caches allocated) and compares the heap they retain,
     * after collection, with what they reserved. (Reserved also counts off-heap GEMM buffers.)
     */
    static List<Bound> bounds(DrLlm llm, int k) throws InterruptedException {
        List<Bound> out = new ArrayList<>();
        for (String kind : List.of("long-all-layers", "long-routed", "short-all-layers")) {
            GenerateRequest r = GenerateRequest.ofIds(new SplittableRandom(3).ints(kind.startsWith("long") ? 200 : 10, 1, 512).toArray())
                    .withMaxNewTokens(48).withStopTokens(Set.of())
                    .withRouting(kind.endsWith("routed") ? RoutingPolicy.routed() : RoutingPolicy.allLayers());
            llm.generate(r); // classes loaded, code compiled: only the streams' own memory differs below
            long before = heapAfterGc();
            List<TokenStream> open = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                TokenStream s = llm.openSession().stream(r);
                s.next();
                s.hasNext();
                open.add(s);
            }
            long retained = heapAfterGc() - before;
            long reserved = llm.memoryInUse();
            open.forEach(TokenStream::close);
            out.add(new Bound(kind, retained / k, reserved / k));
        }
        return out;
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    record SmallHeap(int requests, int completed, int refused, int oom, int otherErrors, long inUseAfter, long maxInUse) {}

    /**
     * {@code threads} threads each run {@code rounds} long requests (prompts of 150–230 ids, up
     * to 24 new tokens; full, fixed and routed paths), half of them as a stream held open while
     * the same thread runs a short request on a second session. Counts what completed, what the budget refused and every
     * {@code OutOfMemoryError}.
     */
    static SmallHeap smallHeap(DrLlm llm, int threads, int rounds, long seed) throws Exception {
        AtomicInteger completed = new AtomicInteger(), refused = new AtomicInteger(), oom = new AtomicInteger(), other = new AtomicInteger();
        AtomicLong maxInUse = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                SplittableRandom rnd = new SplittableRandom(seed * 1000 + t);
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        GenerateRequest r = GenerateRequest.ofIds(rnd.ints(150 + rnd.nextInt(80), 1, 512).toArray())
                                .withMaxNewTokens(1 + rnd.nextInt(24)).withStopTokens(Set.of())
                                .withRouting(switch (rnd.nextInt(3)) {
                                    case 0 -> RoutingPolicy.allLayers();
                                    case 1 -> RoutingPolicy.routed();
                                    default -> RoutingPolicy.fixed(0, 1, 2, 3, 3, 5, 8, 13, 15);
                                });
                        try (Session a = llm.openSession(); Session b = llm.openSession()) {
                            if (rnd.nextBoolean()) {
                                try (TokenStream held = a.stream(r)) {
                                    held.hasNext();
                                    maxInUse.accumulateAndGet(llm.memoryInUse(), Math::max);
                                    // a short request beside the held long one: fits in what the long one leaves
                                    b.generate(GenerateRequest.ofIds(rnd.ints(8, 1, 512).toArray()).withMaxNewTokens(2));
                                    while (held.hasNext()) held.next();
                                }
                            } else {
                                a.generate(r);
                            }
                            completed.incrementAndGet();
                        } catch (LimitExceededException e) {
                            refused.incrementAndGet();
                        } catch (OutOfMemoryError e) {
                            oom.incrementAndGet();
                        } catch (RuntimeException e) {
                            other.incrementAndGet();
                            e.printStackTrace();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) f.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return new SmallHeap(threads * rounds, completed.get(), refused.get(), oom.get(), other.get(), llm.memoryInUse(), maxInUse.get());
    }
}
