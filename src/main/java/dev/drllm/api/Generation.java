package dev.drllm.api;

import dev.drllm.routing.RoutedPrefill;
import dev.drllm.routing.RoutingDecision;
import dev.drllm.runtime.ContextLengthException;
import dev.drllm.runtime.Hidden;
import dev.drllm.runtime.KvCache;
import dev.drllm.runtime.LayerPath;
import dev.drllm.runtime.PathExecutor;
import dev.drllm.runtime.Prefill;
import dev.drllm.runtime.Sampler;
import dev.drllm.tokenizer.TextStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request, run one token per {@link #next()} call: the first call runs the prefill (and the
 * routers), every later call one decode step. Pulling tokens this way gives the blocking call, the
 * callback and the iterator the same engine, with cancellation checked between execution slots and
 * nothing computed ahead of the consumer. Not thread-safe except {@link #cancel()}.
 *
 * <p><b>Freeing.</b> The memory reservation, the KV cache and the session's slot are freed once,
 * by whichever comes first: the generation ending (stop token, max tokens, cancellation seen at a
 * slot), an error of any kind ({@code OutOfMemoryError} included), or {@link #cancel()} while no
 * step runs. A step holds {@link #lock}; {@code cancel()} sets the flag and frees at once when it
 * gets the lock, otherwise the running step sees the flag at its next slot or, if it has passed
 * its last check, right after it lets the lock go. So a cancelled generation never waits for
 * another {@code next()} call (or for garbage collection) to give its memory back.
 */
final class Generation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

    /** Thrown from inside a forward pass to abandon it; never escapes this class. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() { super(null, null, false, false); }
    }

    /**
     * Initializes {@link GenerateResult.StopReason} with this class, not on the first path that
     * ends a generation: initializing an enum allocates, and the first such path may be an error on
     * a full heap, where a failed initialization would leave the class unusable for good (seen:
     * streams that could not be closed after an {@code OutOfMemoryError}, so nothing was freed).
     */
    private static final GenerateResult.StopReason FAILED = GenerateResult.StopReason.ERROR;

    private final DrLlm engine;
    private final Session session;
    private final ReentrantLock lock = new ReentrantLock();
    private final int[] prompt;
    private final int maxNew;
    private final Set<Integer> stops;
    private final RoutedPrefill routed;
    private final Sampler sampler;
    private final int slots;
    private final long startNs;
    private final TextStream text;
    private final int[] out;

    private LayerPath path;
    private RoutingDecision decision;
    /** The KV cache and logits row this generation runs on (its reservation is {@code sequence.reserved}); null once released. */
    private MemoryBudget.Sequence sequence;
    private KvCache cache;
    private float[] logits;
    /** The cancellation check between execution slots, made once (a method reference per step would allocate). */
    private final PathExecutor.SlotObserver cancelCheck = this::checkCancelled;
    private int n;
    private int steps;
    private long prefillNs, decodeNs;
    /** Set once, under {@link #lock}, when the generation ends; volatile for {@link #hasEnded()}. */
    private volatile GenerateResult.StopReason reason;
    private long endNs;
    private volatile boolean cancelled;

    /**
     * @param path   the fixed path, or null when {@code routed} decides it at prefill
     * @param routed the routed prefill, or null for a fixed path
     */
    Generation(DrLlm engine, Session session, int[] prompt, int maxNew, Set<Integer> stops, LayerPath path, RoutedPrefill routed,
               Sampling sampling, long startNs) {
        this.engine = engine;
        this.session = session;
        this.prompt = prompt;
        this.maxNew = maxNew;
        this.stops = stops;
        this.path = path;
        this.routed = routed;
        this.sampler = sampling.isGreedy() ? Sampler.greedy() : new Sampler(sampling.temperature(), sampling.topP(), sampling.seed());
        this.startNs = startNs;
        this.out = new int[maxNew];
        this.text = engine.tokenizer() == null ? null : new TextStream(engine.tokenizer());
        // a routed path is known only after prefill: reserve for the longest one (every layer twice)
        this.slots = path != null ? Math.max(1, path.length()) : 2 * engine.config().numLayers();
        MemoryBudget.Sequence fresh = new MemoryBudget.Sequence(slots, prompt.length + Math.max(maxNew, 1), prompt.length);
        long own = MemoryBudget.ownBytes(engine.backend(), prompt.length, maxNew);
        // the last statement: nothing after it can fail and leave the reservation counted
        this.sequence = engine.budget().reserve(fresh, own, "a prompt of " + prompt.length + " tokens + " + maxNew + " new tokens over "
                + slots + " execution slots");
    }

    boolean hasEnded() { return reason != null; }

    /**
     * Stops the generation: at once when no step is running (its memory is freed before this
     * returns), else at the running step's next execution slot. Any thread; idempotent.
     */
    void cancel() {
        cancelled = true;
        reapCancelled();
    }

    /**
     * Ends a cancelled generation now unless a step holds the lock (that step then ends it); on
     * an ended one, finishes a release an error interrupted.
     */
    private void reapCancelled() {
        if (!lock.tryLock()) return;
        try {
            if (reason == null) finish(GenerateResult.StopReason.CANCELLED);
            else if (sequence != null) release();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next token, or null once the generation has ended (see {@link #result()}). A thread
     * interrupted while it generates ends the generation as {@code CANCELLED} at the next slot
     * and keeps its interrupt status.
     */
    Token next() {
        Token t;
        lock.lock();
        try {
            t = step();
        } finally {
            lock.unlock();
        }
        // a cancel() that found the lock held after this step's last check: its memory goes now
        if (cancelled) reapCancelled();
        return t;
    }

    private Token step() {
        if (reason != null) return null;
        if (stopRequested()) return finish(GenerateResult.StopReason.CANCELLED);
        if (!engine.enter()) return finish(GenerateResult.StopReason.CANCELLED);
        try {
            PathExecutor ex = engine.executor();
            if (cache == null) {
                long t0 = System.nanoTime();
                MemoryBudget.Sequence seq = sequence;
                if (seq.cache == null) seq.cache = engine.backend().newCache(seq.slots, seq.capacity);
                if (seq.logits == null) seq.logits = new float[engine.config().vocabSize()];
                cache = seq.cache;
                if (routed != null) {
                    // the routed prefill is not interruptible inside; cancellation takes effect after it
                    Prefill.Result r = routed.run(ex, prompt, cache);
                    path = r.path();
                    if (path.length() == 0) throw emptyRoutedPath();
                    decision = r.details() instanceof RoutingDecision d ? d : null;
                    logits = r.lastLogits();
                } else {
                    logits = ex.forwardInto(prompt, path, cache, seq.logits, cancelCheck);
                }
                prefillNs = System.nanoTime() - t0;
                if (maxNew == 0) return finish(GenerateResult.StopReason.MAX_TOKENS);
            } else {
                long t0 = System.nanoTime();
                logits = ex.step(out[n - 1], path, cache, sequence.logits, cancelCheck);
                decodeNs += System.nanoTime() - t0;
                steps++;
            }
            if (stopRequested()) return finish(GenerateResult.StopReason.CANCELLED);
            int vocab = engine.config().vocabSize();
            checkFinite(logits, vocab);
            int id = sampler.sample(logits, 0, vocab);
            out[n++] = id;
            Token tok = new Token(id, n - 1, text == null ? null : text.append(id));
            if (stops.contains(id)) finish(GenerateResult.StopReason.STOP_TOKEN);
            else if (n == maxNew) finish(GenerateResult.StopReason.MAX_TOKENS);
            return tok;
        } catch (Cancelled c) {
            return finish(GenerateResult.StopReason.CANCELLED);
        } catch (ContextLengthException e) {
            // the limits are checked before the request starts, so reaching this is a bug; keep it typed
            release();
            throw new LimitExceededException(LimitExceededException.Limit.CONTEXT, prompt.length + maxNew, prompt.length + maxNew,
                    e.getMessage());
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        } finally {
            engine.exit();
        }
    }

    private boolean stopRequested() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    private void checkCancelled(int slot, int layer, Hidden x) {
        if (stopRequested() || engine.isClosing()) throw new Cancelled();
    }

    /** Routers that skip every layer would leave only embedding → LM head: refused, not emitted as tokens. */
    private InvalidRequestException emptyRoutedPath() {
        dev.drllm.routing.DecisionRule p = routed.policy();
        return new InvalidRequestException("the routers skipped every layer of this prompt (skip bias " + p.skipBias() + ", repeat bias "
                + p.repeatBias() + (p.capped() ? ", maxPath " + p.maxPath() : "") + "): an empty path runs no block, so nothing was"
                + " generated; lower the skip bias");
    }

    private void checkFinite(float[] row, int vocab) {
        for (int i = 0; i < vocab; i++) {
            if (!Float.isFinite(row[i])) {
                int pos = prompt.length + n - 1;
                throw new NumericalException("non-finite logit " + row[i] + " at vocabulary index " + i + ", position " + pos
                        + " (new token " + n + ", path " + path + "); the weights or activations hold NaN or infinity");
            }
        }
    }

    private Token finish(GenerateResult.StopReason r) {
        reason = r;
        endNs = System.nanoTime();
        release();
        // guarded: the key-values box their numbers, and a stream closed on a full heap must not fail here
        if (LOG.isDebugEnabled()) LOG.atDebug().setMessage("generation ended")
                .addKeyValue("stopReason", r)
                .addKeyValue("promptTokens", prompt.length)
                .addKeyValue("newTokens", n)
                .addKeyValue("pathLength", path == null ? -1 : path.length())
                .addKeyValue("prefillMs", prefillNs / 1e6)
                .addKeyValue("decodeMs", decodeNs / 1e6)
                .log();
        return null;
    }

    /**
     * Gives everything back; idempotent, and the budget goes first: an {@code OutOfMemoryError} can
     * surface anywhere on a full heap (even where a deoptimised method re-creates objects), and
     * {@link #close()} retries whatever is left. A generation that ended without an error leaves
     * its sequence (cache, scratch, logits row) to the budget for the next request; an error closes
     * it (a failed step may have left its buffers half-made).
     */
    private void release() {
        boolean keep = reason != null && reason != FAILED;
        if (reason == null) {
            // only the error paths get here without a reason; the exception goes to the caller
            reason = FAILED;
            endNs = System.nanoTime();
        }
        MemoryBudget.Sequence seq = sequence;
        if (seq != null) {
            sequence = null;
            cache = null;
            logits = null;
            engine.budget().release(seq, keep);
        }
        engine.ended(this);
        session.ended(this);
    }

    GenerateResult result() {
        if (reason == null) throw new IllegalStateException("generation still running");
        int[] ids = Arrays.copyOf(out, n);
        GenerateResult.Timings t = new GenerateResult.Timings(prefillNs / 1e6, decodeNs / 1e6, (endNs - startNs) / 1e6, steps);
        int[] executed = path == null ? new int[0] : path.layers();
        long layers = path == null || prefillNs == 0 ? 0 : (long) path.length() * (1 + steps);
        GenerateResult.Routing routing = decision == null ? null
                : new GenerateResult.Routing(decision.decisions().clone(), decision.capped(), decision.routingNanos() / 1e6);
        return new GenerateResult(prompt.clone(), ids, text == null ? null : engine.tokenizer().decode(ids, true), executed, layers,
                reason, t, routing);
    }

    /** Cancels the generation if it has not ended; frees it at once unless a step is running. */
    @Override
    public void close() { cancel(); }
}
