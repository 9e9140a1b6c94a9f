package dev.drllm.routing;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Prefill;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routed prefill on the qwen2 fixture model with seeded random routers: invariants of the path,
 * the cap, static routing against the plain model, and per-sequence paths in a batch.
 *
 * <p>"Same computation" is checked two ways: the backend call sequences are identical (so any
 * deterministic backend gives identical bits), and the logits agree within {@link #JIT_TOL}. The
 * CPU backend is not bit-reproducible from one call to the next while the JIT recompiles its
 * Vector API kernels (reduction order changes; seen as ~3e-7 differences), hence a tolerance
 * rather than exact equality on the numbers.
 */
public class RoutedPrefillTest {
    static Model model;
    static CpuBackend backend;
    static int L, V;
    static final float JIT_TOL = 1e-5f;

    @BeforeAll
    static void open() {
        model = Model.load(Fixtures.hfReference("qwen2"));
        backend = new CpuBackend(model, 2);
        L = model.config().numLayers();
        V = model.config().vocabSize();
    }

    @AfterAll
    static void close() {
        backend.close();
        model.close();
    }

    /** Routers with larger biases, so that skips and repeats are common. */
    static Routers randomRouters(long seed, int windows) {
        return withRandomOutputBias(Routers.xavier(L, model.config().hiddenSize(), 16, windows, seed), new Random(seed), 1.5f);
    }

    /** The same routers with N(0, scale²) output biases (xavier's zero biases make every class equally likely). */
    public static Routers withRandomOutputBias(Routers r, Random rnd, float scale) {
        List<Router> out = new ArrayList<>();
        for (Router x : r.all()) {
            float[] b2 = new float[3];
            for (int k = 0; k < 3; k++) b2[k] = (float) rnd.nextGaussian() * scale;
            out.add(new Router(x.hiddenSize(), x.routerHidden(), x.w1(), x.b1(), x.w2(), b2));
        }
        return new Routers(out, r.windows());
    }

    static int[] randomPrompt(Random rnd) {
        int[] p = new int[1 + rnd.nextInt(20)];
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(V);
        return p;
    }

    static Prefill.Result run(Prefill p, int[] prompt) {
        return run(p, prompt, backend);
    }

    static Prefill.Result run(Prefill p, int[] prompt, dev.drllm.runtime.Backend b) {
        try (KvCache cache = b.newCache(2 * L, prompt.length)) {
            return p.run(new PathExecutor(b), prompt, cache);
        }
    }

    static float[] plain(LayerPath path, int[] prompt, boolean lastOnly) {
        try (KvCache cache = backend.newCache(Math.max(1, path.length()), prompt.length)) {
            return new PathExecutor(backend).forward(prompt, path, cache, lastOnly);
        }
    }

    /** The backend calls a prefill makes. */
    static List<String> calls(Prefill p, int[] prompt) {
        RecordingBackend rec = new RecordingBackend(backend);
        run(p, prompt, rec);
        return rec.log;
    }

    static void assertSameComputation(float[] expected, float[] actual) {
        float d = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(d <= JIT_TOL, "max abs diff " + d);
    }

    @Test
    void routedPathsKeepTheInvariantsAndMatchAFixedPathForward() {
        Random rnd = new Random(11);
        int kinds = 0;
        java.util.Set<LayerPath> seen = new java.util.HashSet<>();
        for (int it = 0; it < 40; it++) {
            Routers routers = randomRouters(it, 1 + rnd.nextInt(10));
            int[] prompt = randomPrompt(rnd);
            Prefill.Result r = run(new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, DecisionRule.argmax(), false), prompt);
            RoutingDecision d = (RoutingDecision) r.details();
            LayerPath.validate(L, r.path().layers());
            assertArrayEquals(d.decisions(), r.path().counts());
            assertFalse(d.capped());
            for (int l = 0; l < L; l++) assertEquals(DecisionRule.argmax().decide(d.decisionLogits()[l]), d.decisions()[l]);
            // building the path on the fly computes exactly what a fixed-path forward computes
            assertSameComputation(plain(r.path(), prompt, false), r.lastLogits());
            if (it < 5) {
                assertEquals(calls(Prefill.fixed(r.path()), prompt),
                        calls(new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, DecisionRule.argmax(), true), prompt));
            }
            seen.add(r.path());
        }
        assertTrue(seen.size() > 5, "random routers should produce varied paths, got " + seen);
    }

    @Test
    void capNeverExceedsN() {
        Random rnd = new Random(12);
        int cappedRuns = 0;
        for (int it = 0; it < 40; it++) {
            Routers routers = randomRouters(100 + it, 8);
            int[] prompt = randomPrompt(rnd);
            int n = rnd.nextInt(2 * L + 1);
            DecisionRule policy = DecisionRule.argmax().withBias(0, 2f).withMaxPath(n);
            Prefill.Result r = run(new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, policy, true), prompt);
            RoutingDecision d = (RoutingDecision) r.details();
            assertTrue(r.path().length() <= n, r.path() + " longer than " + n);
            LayerPath.validate(L, r.path().layers());
            assertArrayEquals(policy.cap(d.routed(), d.decisionLogits()), d.decisions());
            if (d.capped()) cappedRuns++;
            // the second pass ran the capped path, so the logits are that path's
            assertSameComputation(plain(r.path(), prompt, true), r.lastLogits());
        }
        assertTrue(cappedRuns > 5, "the cap should have been exercised, was " + cappedRuns);
    }

    @Test
    void staticRoutingIsThePlainModelBitForBit() {
        Random rnd = new Random(13);
        for (int it = 0; it < 10; it++) {
            int[] prompt = randomPrompt(rnd);
            float[] base = plain(LayerPath.full(L), prompt, false);
            Prefill.Result withRouters = run(new RoutedPrefill(randomRouters(it, 8), WindowPooling.Mode.WINDOWED, DecisionRule.staticAll(), false), prompt);
            Prefill.Result without = run(new RoutedPrefill(null, WindowPooling.Mode.WINDOWED, DecisionRule.staticAll(), false), prompt);
            assertSameComputation(base, withRouters.lastLogits());
            assertSameComputation(base, without.lastLogits());
            List<String> fixedCalls = calls(Prefill.fixed(LayerPath.full(L)), prompt);
            assertEquals(fixedCalls, calls(new RoutedPrefill(randomRouters(it, 8), DecisionRule.staticAll()), prompt));
            assertEquals(fixedCalls, calls(new RoutedPrefill(null, DecisionRule.staticAll()), prompt));
            assertEquals(LayerPath.full(L), withRouters.path());
            assertNotNull(((RoutingDecision) withRouters.details()).decisionLogits());
        }
        // and through generation: identical tokens to a fixed full path
        int[] prompt = randomPrompt(new Random(3));
        Generator g = new Generator(backend);
        GenerationOptions opts = GenerationOptions.greedy(8, Set.of());
        GenerationResult a = g.generate(prompt, Prefill.fixed(LayerPath.full(L)), opts);
        GenerationResult b = g.generate(prompt, new RoutedPrefill(randomRouters(1, 8), DecisionRule.staticAll()), opts);
        assertArrayEquals(a.ids(), b.ids());
    }

    /** Every prompt gets its own decisions and path (DESIGN.md §2; the reference forces the first sequence's decision on a batch). */
    @Test
    void eachPromptGetsItsOwnPath() {
        Random rnd = new Random(14);
        Routers routers = randomRouters(5, 8);
        RoutedPrefill prefill = new RoutedPrefill(routers, WindowPooling.Mode.WINDOWED, DecisionRule.argmax(), true);
        java.util.Set<LayerPath> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
            int[] p = randomPrompt(rnd);
            Prefill.Result first = run(prefill, p), again = run(prefill, p);
            assertEquals(first.path(), again.path(), "sequence " + i);
            assertSameComputation(first.lastLogits(), again.lastLogits());
            distinct.add(first.path());
        }
        assertTrue(distinct.size() > 1, "prompts should not all share one path: " + distinct);
    }

    @Test
    void routedGenerationDecodesAlongThePrefillPath() {
        Routers routers = randomRouters(21, 8);
        int[] prompt = randomPrompt(new Random(21));
        GenerationResult r = new Generator(backend).generate(prompt, new RoutedPrefill(routers, DecisionRule.argmax()), GenerationOptions.greedy(6, Set.of()));
        RoutingDecision d = (RoutingDecision) r.prefillDetails();
        assertEquals(d.executedPath(), r.path());
        GenerationResult fixed = new Generator(backend).generate(prompt, Prefill.fixed(d.executedPath()), GenerationOptions.greedy(6, Set.of()));
        assertArrayEquals(fixed.ids(), r.ids());
    }

    @Test
    void fullPoolingRoutesOnTheMeanOfEveryToken() {
        Routers routers = randomRouters(31, 8);
        int[] prompt = randomPrompt(new Random(31));
        Prefill.Result r = run(new RoutedPrefill(routers, WindowPooling.Mode.FULL, DecisionRule.argmax(), true), prompt);
        RoutingDecision d = (RoutingDecision) r.details();
        assertEquals(1, d.windows());
        // router 0 sees the embeddings, the same whatever the path
        float[] emb;
        try (var x = backend.embed(prompt)) {
            emb = backend.read(x);
        }
        int H = model.config().hiddenSize();
        float[] mean = new float[H];
        for (int t = 0; t < prompt.length; t++) for (int i = 0; i < H; i++) mean[i] += emb[t * H + i] / prompt.length;
        assertArrayEquals(routers.get(0).logits(mean, 0), d.decisionLogits()[0], 1e-5f);
    }

    @Test
    void mismatchedRoutersAndSmallCachesAreRejected() {
        Routers wrong = Routers.xavier(L + 1, model.config().hiddenSize(), 8, 8, 1);
        int[] prompt = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> run(new RoutedPrefill(wrong, DecisionRule.argmax()), prompt));
        try (KvCache small = backend.newCache(L, 3)) {
            assertThrows(IllegalArgumentException.class,
                    () -> new RoutedPrefill(randomRouters(1, 8), DecisionRule.argmax()).run(new PathExecutor(backend), prompt, small));
        }
        assertThrows(IllegalArgumentException.class, () -> new RoutedPrefill(null, DecisionRule.argmax()));
        assertThrows(IllegalArgumentException.class, () -> run(new RoutedPrefill(randomRouters(1, 8), DecisionRule.argmax()), new int[0]));
    }
}
