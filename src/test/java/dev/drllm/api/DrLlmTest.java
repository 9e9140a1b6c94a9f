package dev.drllm.api;

import dev.drllm.Fixtures;
import dev.drllm.cpu.CpuBackend;
import dev.drllm.model.Model;
import dev.drllm.runtime.GenerationOptions;
import dev.drllm.runtime.GenerationResult;
import dev.drllm.runtime.Generator;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.Prefill;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The facade on the embedded tiny model: same tokens as the runtime, streaming, cancellation, limits. */
class DrLlmTest {
    static final int[] PROMPT = {81, 117, 101, 115, 116, 105, 111, 110, 58, 32, 50, 43, 50};
    static DrLlm llm;
    /** The tiny model without the routers it ships with: these tests exercise the every-layer default. */
    static Path tiny;

    @BeforeAll
    static void load() throws IOException {
        tiny = Files.createTempDirectory("drllm-tiny-no-routers");
        try (var files = Files.list(Fixtures.tinyModel())) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().startsWith("routers")) Files.createSymbolicLink(tiny.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        llm = DrLlm.load(tiny, LoadOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() throws IOException {
        llm.close();
        try (var files = Files.list(tiny)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(tiny);
    }

    static int[] runtimeTokens(int[] prompt, LayerPath path, int maxNew) {
        try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 2)) {
            GenerationResult r = new Generator(b).generate(prompt, Prefill.fixed(path), GenerationOptions.greedy(maxNew, m.stopTokens()));
            return r.ids();
        }
    }

    /**
     * warmUp() leaves the kernels on their vector bodies, runs real passes, and changes no output:
     * a generation before it (on whichever kernels the JVM had then) and after it are identical.
     */
    @Test
    void warmUpSwitchesToVectorKernelsAndChangesNoOutput() {
        GenerateRequest req = GenerateRequest.ofIds(PROMPT).withMaxNewTokens(12);
        GenerateResult before = llm.generate(req);
        WarmUp w = llm.warmUp(java.time.Duration.ofMinutes(3));
        assertTrue(w.vectorKernels(), w.toString());
        assertTrue(w.passes() >= 1 && w.lastPassMs() > 0, w.toString());
        assertTrue(dev.drllm.cpu.CpuKernels.vectorInUse());
        GenerateResult after = llm.generate(req);
        assertArrayEquals(before.ids(), after.ids());
        assertEquals(before.text(), after.text());
    }

    @Test
    void greedyMatchesTheRuntimeGenerator() {
        GenerateResult r = llm.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(12));
        assertArrayEquals(runtimeTokens(PROMPT, LayerPath.full(16), 12), r.ids());
        assertArrayEquals(PROMPT, r.promptIds());
        assertArrayEquals(LayerPath.full(16).layers(), r.executedPath());
        assertEquals(16L * (1 + r.timings().decodeSteps()), r.layersExecuted());
        assertEquals(r.ids().length, r.generatedTokenCount());
        assertEquals(PROMPT.length, r.promptTokenCount());
        assertTrue(r.timings().prefillMs() > 0 && r.timings().totalMs() >= r.timings().prefillMs());
        assertEquals(llm.tokenizer().decode(r.ids(), true), r.text());
        assertEquals(0, llm.memoryInUse());
    }

    /**
     * A finished generation's KV cache and scratch wait for the next request (no allocation per
     * request after warm-up): reused they give the same tokens as fresh ones, whatever the earlier
     * request left in them; they count as idle, not in use; a request needing their room evicts them.
     */
    @Test
    void finishedSequencesAreReusedWithTheSameTokensAndGiveWayToNewRequests() {
        int[] longPrompt = new java.util.SplittableRandom(5).ints(40, 1, 512).toArray();
        int[] fixed = {0, 2, 2, 5, 9, 15};
        try (DrLlm e = DrLlm.load(tiny, LoadOptions.defaults().withThreads(2)); Session s = e.openSession()) {
            assertEquals(0, e.memoryIdle());
            GenerateRequest big = GenerateRequest.ofIds(longPrompt).withMaxNewTokens(20).withStopTokens(Set.of());
            s.generate(big);
            long idle = e.memoryIdle();
            assertTrue(idle > 0 && e.memoryInUse() == 0, idle + " " + e.memoryInUse());
            // a shorter prompt, fewer tokens, another path: runs on the same sequence (still one idle afterwards)
            assertArrayEquals(runtimeTokens(PROMPT, LayerPath.full(16), 12), s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(12)).ids());
            assertEquals(idle, e.memoryIdle());
            assertArrayEquals(runtimeTokens(PROMPT, LayerPath.of(16, fixed), 8),
                    s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(8).withRouting(RoutingPolicy.fixed(fixed))).ids());
            assertArrayEquals(runtimeTokens(longPrompt, LayerPath.full(16), 20), s.generate(big).ids());
            assertEquals(idle, e.memoryIdle());
            // streamed and cancelled half-way: the sequence still comes back, and serves the next request right
            try (TokenStream ts = s.stream(big)) {
                ts.next();
                ts.next();
            }
            assertEquals(idle, e.memoryIdle());
            assertArrayEquals(runtimeTokens(PROMPT, LayerPath.full(16), 12), e.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(12)).ids());
            // two at once: the second allocates its own, and both wait afterwards
            try (Session t = e.openSession(); TokenStream a = s.stream(big); TokenStream b2 = t.stream(big)) {
                a.next();
                b2.next();
                assertEquals(0, e.memoryIdle());
            }
            assertTrue(e.memoryIdle() > idle, e.memoryIdle() + " " + idle);
            // a larger request than any idle one: allocated to size, the idle ones stay within the budget
            s.generate(GenerateRequest.ofIds(longPrompt).withMaxNewTokens(100).withStopTokens(Set.of()));
            assertTrue(e.memoryIdle() + e.memoryInUse() <= e.limits().memoryBudgetBytes());
        }
        // a budget of one long request: an idle sequence gives way to a request that needs its room
        long one;
        try (Model m = Model.load(tiny); CpuBackend b = new CpuBackend(m, 2)) {
            one = MemoryBudget.requestBytes(b, 16, 40, 60);
        }
        try (DrLlm e = DrLlm.load(tiny, LoadOptions.defaults().withThreads(2).withLimits(new Limits(256, 256, one)))) {
            e.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(4));
            assertTrue(e.memoryIdle() > 0);
            assertEquals(60, e.generate(GenerateRequest.ofIds(longPrompt).withMaxNewTokens(60).withStopTokens(Set.of())).ids().length);
            assertTrue(e.memoryIdle() <= one);
            e.close();
            assertEquals(0, e.memoryIdle(), "closing drops the idle sequences");
        }
    }

    @Test
    void fixedPathIsFollowedAndReported() {
        int[] layers = {0, 1, 1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 15};
        GenerateResult r = llm.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(8).withRouting(RoutingPolicy.fixed(layers)));
        assertArrayEquals(layers, r.executedPath());
        assertArrayEquals(runtimeTokens(PROMPT, LayerPath.of(16, layers), 8), r.ids());
    }

    @Test
    void callbackAndIteratorSeeTheSameTokensAsTheResult() {
        GenerateRequest req = GenerateRequest.ofIds(PROMPT).withMaxNewTokens(10).withSampling(Sampling.of(0.8f, 0.9f, 42));
        try (Session s = llm.openSession()) {
            List<Integer> seen = new ArrayList<>();
            GenerateResult r = s.generate(req, t -> {
                assertEquals(seen.size(), t.index());
                seen.add(t.id());
            });
            assertArrayEquals(seen.stream().mapToInt(Integer::intValue).toArray(), r.ids());
            List<Integer> streamed = new ArrayList<>();
            try (TokenStream ts = s.stream(req)) {
                while (ts.hasNext()) streamed.add(ts.next().id());
                assertThrows(NoSuchElementException.class, ts::next);
                assertArrayEquals(r.ids(), ts.result().ids(), "same seed, same tokens");
            }
            assertEquals(seen, streamed);
        }
    }

    @Test
    void cancelFromTheCallbackStopsAfterThatToken() {
        try (Session s = llm.openSession()) {
            GenerateResult r = s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(40).withStopTokens(Set.of()), t -> {
                if (t.index() == 2) s.cancel();
            });
            assertEquals(GenerateResult.StopReason.CANCELLED, r.stopReason());
            assertEquals(3, r.ids().length);
            // the session is reusable after a cancelled generation
            assertEquals(GenerateResult.StopReason.MAX_TOKENS, s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(2)
                    .withStopTokens(Set.of())).stopReason());
        }
        assertEquals(0, llm.memoryInUse());
    }

    @Test
    void closingAStreamEarlyCancelsAndReleasesTheCache() {
        try (Session s = llm.openSession()) {
            TokenStream ts = s.stream(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(40).withStopTokens(Set.of()));
            assertTrue(ts.hasNext());
            ts.next();
            assertTrue(llm.memoryInUse() > 0);
            assertThrows(IllegalStateException.class, ts::result);
            ts.close();
            assertEquals(0, llm.memoryInUse());
            assertEquals(GenerateResult.StopReason.CANCELLED, ts.result().stopReason());
            assertEquals(1, ts.result().ids().length);
            assertFalse(ts.hasNext());
        }
    }

    @Test
    void oneGenerationPerSessionAtATime() {
        try (Session s = llm.openSession(); TokenStream ts = s.stream(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(4))) {
            assertThrows(DrLlmException.class, () -> s.generate(GenerateRequest.ofIds(PROMPT)));
            ts.close();
            assertEquals(2, s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(2).withStopTokens(Set.of())).ids().length);
        }
    }

    @Test
    void zeroNewTokensRunsOnlyThePrefill() {
        GenerateResult r = llm.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(0));
        assertEquals(0, r.ids().length);
        assertEquals(GenerateResult.StopReason.MAX_TOKENS, r.stopReason());
        assertEquals(16, r.layersExecuted());
    }

    @Test
    void limitsAreTypedErrorsNeverTruncation() {
        int ctx = llm.info().maxContextTokens();
        assertEquals(256, ctx);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> llm.generate(GenerateRequest.ofIds(new int[250]).withMaxNewTokens(7)));
        assertEquals(LimitExceededException.Limit.CONTEXT, e.limit());
        assertEquals(257, e.requested());
        assertEquals(256, e.allowed());
        // exactly at the limit is fine
        assertEquals(6, llm.generate(GenerateRequest.ofIds(new int[250]).withMaxNewTokens(6).withStopTokens(Set.of())).ids().length);

        // what a request of 16 slots reserves (KV cache, activations, scratch, logits, ids), on the backend small will have
        long b60, b80, b100;
        try (Model m = Model.load(tiny); CpuBackend b = new CpuBackend(m, 1)) {
            b60 = MemoryBudget.requestBytes(b, 16, 56, 4);
            b80 = MemoryBudget.requestBytes(b, 16, 76, 4);
            b100 = MemoryBudget.requestBytes(b, 16, 96, 4);
            // the KV cache alone (16 slots × 2 × 64 kv floats × 4 bytes = 8 KiB a position) is part of it
            assertTrue(b80 > 80L * 8192 && b100 > b80 && b80 > b60, b60 + " " + b80 + " " + b100);
        }
        // the budget holds one 80-position request
        try (DrLlm small = DrLlm.load(tiny, LoadOptions.defaults().withThreads(1).withLimits(new Limits(100, 5, b80)))) {
            assertEquals(100, small.info().maxContextTokens());
            assertEquals(LimitExceededException.Limit.NEW_TOKENS, assertThrows(LimitExceededException.class,
                    () -> small.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(6))).limit());
            assertEquals(LimitExceededException.Limit.CONTEXT, assertThrows(LimitExceededException.class,
                    () -> small.generate(GenerateRequest.ofIds(new int[98]).withMaxNewTokens(3))).limit());
            LimitExceededException mem = assertThrows(LimitExceededException.class,
                    () -> small.generate(GenerateRequest.ofIds(new int[96]).withMaxNewTokens(4)));
            assertEquals(LimitExceededException.Limit.MEMORY, mem.limit());
            assertEquals(b100, mem.requested());
            assertEquals(b80, mem.allowed());
            // a 60- and an 80-position generation fit one at a time but not together
            try (Session a = small.openSession(); Session b = small.openSession();
                 TokenStream held = a.stream(GenerateRequest.ofIds(new int[56]).withMaxNewTokens(4))) {
                assertTrue(held.hasNext());
                assertEquals(b60, small.memoryInUse());
                assertEquals(LimitExceededException.Limit.MEMORY, assertThrows(LimitExceededException.class,
                        () -> b.generate(GenerateRequest.ofIds(new int[76]).withMaxNewTokens(4))).limit());
                held.close();
                assertEquals(4, b.generate(GenerateRequest.ofIds(new int[76]).withMaxNewTokens(4).withStopTokens(Set.of())).ids().length);
            }
        }
    }

    @Test
    void badRequestsAreTypedErrors() {
        assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofIds()));
        InvalidRequestException v = assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofIds(1, 512)));
        assertTrue(v.getMessage().contains("512 at index 1"), v.getMessage());
        assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofIds(-1)));
        InvalidRequestException p = assertThrows(InvalidRequestException.class,
                () -> llm.generate(GenerateRequest.ofIds(PROMPT).withRouting(RoutingPolicy.fixed(3, 2))));
        assertTrue(p.getMessage().contains("non-decreasing"), p.getMessage());
        assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofIds(PROMPT).withRouting(RoutingPolicy.fixed(1, 1, 1))));
        assertThrows(InvalidRequestException.class, RoutingPolicy::fixed);
        assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofIds(PROMPT).withRouting(RoutingPolicy.fixed(16))));
        assertThrows(InvalidRequestException.class, () -> GenerateRequest.ofIds(PROMPT).withMaxNewTokens(-1));
        assertThrows(InvalidRequestException.class, () -> Sampling.of(Float.NaN, 1, 0));
        assertThrows(InvalidRequestException.class, () -> Sampling.of(1, 0, 0));
        assertThrows(InvalidRequestException.class, () -> new Limits(0, 1, 1));
        assertThrows(InvalidRequestException.class, () -> DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withDevice("tpu")));
        assertEquals(0, llm.memoryInUse());
    }

    @Test
    void cudaRunsTheSameTokensOrIsATypedError() {
        GenerateRequest req = GenerateRequest.ofIds(PROMPT).withMaxNewTokens(8).withStopTokens(Set.of());
        try (DrLlm gpu = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withDevice("cuda"))) {
            // DESIGN.md §5: the GPU backend gives the same greedy tokens on the tiny model
            assertArrayEquals(llm.generate(req).ids(), gpu.generate(req).ids());
            assertEquals(0, gpu.memoryInUse());
        } catch (DeviceUnavailableException e) {
            assertTrue(e.getMessage().contains("unavailable"), e.getMessage());
        }
    }

    @Test
    void closedModelAndSessionRefuseWork() {
        DrLlm m = DrLlm.load(tiny, LoadOptions.defaults().withThreads(1));
        Session s = m.openSession();
        TokenStream ts = s.stream(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(20).withStopTokens(Set.of()));
        assertTrue(ts.hasNext());
        m.close();
        m.close();
        ts.next(); // computed before the close
        assertFalse(ts.hasNext(), "a stream of a closed model ends");
        assertEquals(GenerateResult.StopReason.CANCELLED, ts.result().stopReason());
        assertThrows(EngineClosedException.class, m::openSession);
        assertThrows(EngineClosedException.class, () -> s.generate(GenerateRequest.ofIds(PROMPT)));
        Session t = llm.openSession();
        t.close();
        assertThrows(EngineClosedException.class, () -> t.generate(GenerateRequest.ofIds(PROMPT)));
    }

    static final String ARC = "Question: Which number is even?\n(A) 99\n(B) 67\n(C) 33\n(D) 88\nAnswer: ";

    @Test
    void textPromptsAreEncodedWithoutSpecialTokensAndStreamAsText() {
        assertTrue(llm.info().hasTokenizer());
        StringBuilder streamed = new StringBuilder();
        GenerateResult r;
        try (Session s = llm.openSession()) {
            r = s.generate(GenerateRequest.ofText(ARC).withMaxNewTokens(8), t -> streamed.append(t.text()));
        }
        assertArrayEquals(llm.tokenizer().encode(ARC), r.promptIds());
        assertEquals("D", r.text(), "the tiny model answers the first ARC test question");
        assertEquals(r.text(), streamed.toString());
        assertEquals(GenerateResult.StopReason.STOP_TOKEN, r.stopReason());
        assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofChat("user", "hi")), "tiny has no chat template");
    }

    @Test
    void streamedTextNeverSplitsAMultiByteCharacter() {
        // byte-level BPE: "é€😀" is several byte tokens; pieces must be whole characters and add up
        int[] ids = llm.tokenizer().encode("é€😀 ok");
        dev.drllm.tokenizer.TextStream ts = new dev.drllm.tokenizer.TextStream(llm.tokenizer());
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String piece = ts.append(id);
            assertFalse(piece.contains("\uFFFD"), "piece " + piece);
            sb.append(piece);
        }
        assertEquals("é€😀 ok", sb.toString());
    }

    @Test
    void routedGenerationMatchesTheRuntimeAndReportsDecisions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path rf = tmp.resolve("routers.safetensors");
        dev.drllm.routing.Routers.xavier(16, 192, 128, 8, 11).save(rf, dev.drllm.model.DType.F32);
        dev.drllm.routing.Routers routers = dev.drllm.routing.Routers.load(rf, dev.drllm.model.ModelConfig.load(Fixtures.tinyModel().resolve("config.json")));
        try (DrLlm routed = DrLlm.load(Fixtures.tinyModel(), rf, LoadOptions.defaults().withThreads(2))) {
            assertTrue(routed.info().hasRouters());
            for (RoutingPolicy policy : List.of(RoutingPolicy.auto(), RoutingPolicy.routed(), RoutingPolicy.routed(0.3f, 0.5f, 8))) {
                GenerateResult r = routed.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(6).withRouting(policy).withStopTokens(Set.of()));
                dev.drllm.routing.DecisionRule rp = policy instanceof RoutingPolicy.Routed p
                        ? new dev.drllm.routing.DecisionRule(false, p.skipBias(), p.repeatBias(), p.maxPath())
                        : dev.drllm.routing.DecisionRule.argmax();
                try (Model m = Model.load(Fixtures.tinyModel()); CpuBackend b = new CpuBackend(m, 2)) {
                    GenerationResult g = new Generator(b).generate(PROMPT, new dev.drllm.routing.RoutedPrefill(routers, rp),
                            GenerationOptions.greedy(6, Set.of()));
                    assertArrayEquals(g.ids(), r.ids(), policy.toString());
                    assertArrayEquals(g.path().layers(), r.executedPath(), policy.toString());
                }
                assertNotNull(r.routing());
                assertArrayEquals(LayerPath.fromCounts(r.routing().decisions()).layers(), r.executedPath());
                if (policy instanceof RoutingPolicy.Routed p && p.maxPath() >= 0) assertTrue(r.executedPath().length <= p.maxPath());
            }
            // these random routers skip every layer at skip bias 1.5: refused, not an embedding-only "generation"
            try (Session s = routed.openSession()) {
                InvalidRequestException empty = assertThrows(InvalidRequestException.class,
                        () -> s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(6).withRouting(RoutingPolicy.routed(1.5f, -1f, 12))));
                assertTrue(empty.getMessage().contains("skipped every layer"), empty.getMessage());
                assertEquals(0, routed.memoryInUse());
                assertEquals(2, s.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(2).withStopTokens(Set.of())).ids().length);
            }
            GenerateResult all = routed.generate(GenerateRequest.ofIds(PROMPT).withMaxNewTokens(4).withRouting(RoutingPolicy.allLayers()));
            assertNull(all.routing());
            assertArrayEquals(LayerPath.full(16).layers(), all.executedPath());
        }
        assertThrows(InvalidRequestException.class, () -> llm.generate(GenerateRequest.ofIds(PROMPT).withRouting(RoutingPolicy.routed())),
                "no routers loaded");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> DrLlm.load(Fixtures.tinyModel(), tmp.resolve("none.safetensors"), LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("routers file not found"), e.getMessage());
    }
}
