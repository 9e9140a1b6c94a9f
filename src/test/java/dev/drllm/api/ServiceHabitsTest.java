package dev.drllm.api;

import dev.drllm.Fixtures;
import dev.drllm.runtime.Sampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One test per path of issue 24 on one thread (the concurrent versions are in
 * {@link ConcurrencyStressTest}): how an unfinished generation is freed (GC of an abandoned
 * stream, session close / cancel, errors including {@code OutOfMemoryError}), what a cancel does
 * before, during and after a generation, interrupts, and the edge inputs.
 */
class ServiceHabitsTest {
    static final int[] PROMPT = {81, 117, 101, 115, 116, 105, 111, 110, 58, 32, 50, 43, 50};
    static final GenerateRequest LONG = GenerateRequest.ofIds(PROMPT).withMaxNewTokens(40).withStopTokens(Set.of());
    /** The shipped tiny model with its routers (auto routing is routed). */
    static DrLlm llm;

    @BeforeAll
    static void load() {
        llm = DrLlm.load(Fixtures.tinyModel(), LoadOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        llm.close();
    }

    static void awaitBudgetFree() throws InterruptedException {
        for (int i = 0; i < 500 && llm.memoryInUse() != 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, llm.memoryInUse(), "memory still reserved");
    }

    /** Opens a stream, reads one token and drops it (the stream object is unreachable on return). */
    static void startAndDrop(Session s) {
        assertTrue(s.stream(LONG).hasNext());
    }

    @Test
    void aStreamDroppedWithoutCloseIsFreedOnceUnreachable() throws InterruptedException {
        try (Session s = llm.openSession()) {
            startAndDrop(s);
            assertTrue(llm.memoryInUse() > 0);
            awaitBudgetFree();
            // the Cleaner also gave the session back
            assertEquals(2, s.generate(LONG.withMaxNewTokens(2)).ids().length);
        }
    }

    @Test
    void sessionCloseFreesAnUnreadStreamAtOnce() {
        Session s = llm.openSession();
        TokenStream ts = s.stream(LONG);
        assertTrue(ts.hasNext());
        ts.next();
        s.close();
        assertEquals(0, llm.memoryInUse(), "freed before close() returned, no GC needed");
        assertFalse(ts.hasNext());
        assertEquals(GenerateResult.StopReason.CANCELLED, ts.result().stopReason());
        assertEquals(1, ts.result().ids().length);
        assertThrows(EngineClosedException.class, () -> s.generate(LONG));
    }

    @Test
    void sessionCancelFreesAnUnreadStreamAtOnceAndTheSessionIsReusable() {
        try (Session s = llm.openSession()) {
            TokenStream ts = s.stream(LONG);
            assertTrue(ts.hasNext());
            s.cancel();
            assertEquals(0, llm.memoryInUse());
            // usable again without touching the old stream
            assertEquals(GenerateResult.StopReason.MAX_TOKENS, s.generate(LONG.withMaxNewTokens(3)).stopReason());
            // the token read before the cancel is still handed out, then the stream ends
            assertTrue(ts.hasNext());
            ts.next();
            assertFalse(ts.hasNext());
            assertEquals(GenerateResult.StopReason.CANCELLED, ts.result().stopReason());
        }
    }

    @Test
    void aCancelFromAnotherThreadBetweenStepsFreesBeforeItReturns() throws Exception {
        try (Session s = llm.openSession()) {
            CountDownLatch firstToken = new CountDownLatch(1), cancelled = new CountDownLatch(1);
            AtomicLong inUseAfterCancel = new AtomicLong(-1);
            Thread canceller = Thread.ofPlatform().start(() -> {
                try {
                    firstToken.await();
                    s.cancel();
                    inUseAfterCancel.set(llm.memoryInUse());
                    cancelled.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            GenerateResult r = s.generate(LONG, t -> {
                if (t.index() == 0) {
                    firstToken.countDown();
                    try {
                        assertTrue(cancelled.await(1, TimeUnit.MINUTES));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            canceller.join();
            assertEquals(0, inUseAfterCancel.get(), "the listener holds no step: the cancel itself frees");
            assertEquals(GenerateResult.StopReason.CANCELLED, r.stopReason());
            assertEquals(1, r.ids().length);
        }
    }

    @Test
    void aCancelOnAnIdleSessionCancelsItsNextGenerationOnce() {
        try (Session s = llm.openSession()) {
            s.cancel();
            GenerateResult r = s.generate(LONG);
            assertEquals(GenerateResult.StopReason.CANCELLED, r.stopReason());
            assertEquals(0, r.ids().length);
            assertEquals(0, r.layersExecuted(), "nothing ran");
            // consumed: the one after runs
            assertEquals(GenerateResult.StopReason.MAX_TOKENS, s.generate(LONG.withMaxNewTokens(2)).stopReason());
            // and a pending cancel can be dropped
            s.cancel();
            assertTrue(s.clearPendingCancel());
            assertFalse(s.clearPendingCancel());
            assertEquals(GenerateResult.StopReason.MAX_TOKENS, s.generate(LONG.withMaxNewTokens(2)).stopReason());
            // streams see it the same way
            s.cancel();
            try (TokenStream ts = s.stream(LONG)) {
                assertFalse(ts.hasNext());
                assertEquals(GenerateResult.StopReason.CANCELLED, ts.result().stopReason());
            }
        }
        assertEquals(0, llm.memoryInUse());
    }

    @Test
    void anInterruptActsAsACancelAndTheStatusIsKept() {
        try (Session s = llm.openSession()) {
            GenerateResult r = s.generate(LONG, t -> {
                if (t.index() == 2) Thread.currentThread().interrupt();
            });
            assertTrue(Thread.interrupted(), "the interrupt status is kept (and cleared here)");
            assertEquals(GenerateResult.StopReason.CANCELLED, r.stopReason());
            assertEquals(3, r.ids().length);
            Thread.currentThread().interrupt();
            GenerateResult before = s.generate(LONG);
            assertTrue(Thread.interrupted());
            assertEquals(GenerateResult.StopReason.CANCELLED, before.stopReason());
            assertEquals(0, before.ids().length);
            assertEquals(GenerateResult.StopReason.MAX_TOKENS, s.generate(LONG.withMaxNewTokens(2)).stopReason());
        }
        assertEquals(0, llm.memoryInUse());
    }

    @Test
    void errorsOfAnyKindFreeTheReservation() {
        try (Session s = llm.openSession()) {
            OutOfMemoryError oom = assertThrows(OutOfMemoryError.class, () -> s.generate(LONG, t -> {
                throw new OutOfMemoryError("simulated, from the listener");
            }));
            assertEquals("simulated, from the listener", oom.getMessage());
            assertEquals(0, llm.memoryInUse());
            assertThrows(IllegalStateException.class, () -> s.generate(LONG, t -> {
                throw new IllegalStateException("listener bug");
            }));
            assertEquals(0, llm.memoryInUse());
            assertEquals(2, s.generate(LONG.withMaxNewTokens(2)).ids().length, "the session is usable after errors");
        }
    }

    @Test
    void temperaturesBelowTheMinimumAreGreedy() {
        GenerateRequest greedy = LONG.withMaxNewTokens(8);
        int[] expected = llm.generate(greedy).ids();
        for (float t : new float[]{Float.MIN_VALUE, 1e-38f, 1e-30f, Sampling.MIN_TEMPERATURE / 2}) {
            Sampling sp = Sampling.of(t, 0.9f, 42);
            assertTrue(sp.isGreedy(), "temperature " + t);
            assertArrayEquals(expected, llm.generate(greedy.withSampling(sp)).ids(), "temperature " + t);
        }
        assertFalse(Sampling.of(Sampling.MIN_TEMPERATURE, 1, 0).isGreedy());
        // the sampler itself never divides its way to NaN: an overflowing scale is the greedy limit
        float[] huge = {1e35f, 3e35f, 2e35f};
        assertEquals(1, new Sampler(Sampling.MIN_TEMPERATURE, 1, 7).sample(huge, 0, 3));
    }

    @Test
    void emptyPathsFromEveryRoutingPolicyAreRefused() {
        InvalidRequestException fixed = assertThrows(InvalidRequestException.class, RoutingPolicy::fixed);
        assertTrue(fixed.getMessage().contains("at least one layer"), fixed.getMessage());
        InvalidRequestException cap = assertThrows(InvalidRequestException.class, () -> RoutingPolicy.routed(0, 0, 0));
        assertTrue(cap.getMessage().contains("maxPath must be >= 1"), cap.getMessage());
        try (Session s = llm.openSession()) {
            InvalidRequestException skipAll = assertThrows(InvalidRequestException.class,
                    () -> s.generate(LONG.withRouting(RoutingPolicy.routed(1e30f, 0, RoutingPolicy.Routed.NO_CAP))));
            assertTrue(skipAll.getMessage().contains("skipped every layer") && skipAll.getMessage().contains("1.0E30"), skipAll.getMessage());
            assertEquals(0, llm.memoryInUse());
            assertEquals(1, s.generate(LONG.withMaxNewTokens(1).withRouting(RoutingPolicy.routed(0, 0, 1))).executedPath().length);
        }
    }

    @Test
    void stopTokensOutsideTheVocabularyAreRefused() {
        for (int bad : new int[]{512, -1, Integer.MAX_VALUE}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> llm.generate(LONG.withStopTokens(Set.of(3, bad))));
            assertTrue(e.getMessage().contains("stop token " + bad) && e.getMessage().contains("0..511"), e.getMessage());
        }
        assertEquals(0, llm.memoryInUse());
    }

    @Test
    void aHugeTextPromptIsRefusedWhileTokenizing() {
        String huge = "The quick brown fox jumps over the lazy dog. ".repeat((16 << 20) / 45); // ~16 MB
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> llm.generate(GenerateRequest.ofText(huge).withMaxNewTokens(6)));
        assertEquals(LimitExceededException.Limit.CONTEXT, e.limit());
        assertEquals(256, e.allowed());
        // the ids of the piece that crossed the room prove it too long; the rest is never encoded
        assertTrue(e.requested() > 256 && e.requested() < 300, e.getMessage());
        assertTrue(e.getMessage().contains("more than 250 tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("tokenized only that far"), e.getMessage());
        // the limited encoding is the full encoding's prefix
        String text = "Question: 12+30=?\nAnswer: \\boxed{42} ".repeat(20);
        int[] all = llm.tokenizer().encode(text);
        int[] first = llm.tokenizer().encode(text, false, 50);
        assertTrue(first.length > 50 && first.length < all.length, first.length + " of " + all.length);
        assertArrayEquals(Arrays.copyOf(all, first.length), first);
        assertArrayEquals(all, llm.tokenizer().encode(text, false, all.length), "exactly at the limit: all of it");
    }

    @Test
    void threadsBeyondTheCoresAreCapped() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, DrLlm.cpuThreads(cores + 62, Fixtures.tinyModel()));
        assertEquals(1, DrLlm.cpuThreads(1, Fixtures.tinyModel()));
        assertEquals(Math.min(cores, dev.drllm.cpu.CpuPool.defaultThreads()), DrLlm.cpuThreads(0, Fixtures.tinyModel()));
    }
}
