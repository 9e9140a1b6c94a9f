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

/**
 * One request, run one token per {@link #next()} call: the first call runs the prefill (and the
 * routers), every later call one decode step. Pulling tokens this way gives the blocking call, the
 * callback and the iterator the same engine, with cancellation checked between execution slots and
 * nothing computed ahead of the consumer. Not thread-safe except {@link #cancel()}.
 */
final class Generation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

    /** Thrown from inside a forward pass to abandon it; never escapes this class. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() { super(null, null, false, false); }
    }

    private final DrLlm engine;
    private final int[] prompt;
    private final int maxNew;
    private final Set<Integer> stops;
    private final RoutedPrefill routed;
    private final Sampler sampler;
    private final int slots;
    private final long kvBytes;
    private final long startNs;
    private final TextStream text;
    private final int[] out;

    private LayerPath path;
    private RoutingDecision decision;
    private KvCache cache;
    private boolean reserved;
    private float[] logits;
    private int n;
    private int steps;
    private long prefillNs, decodeNs;
    private GenerateResult.StopReason reason;
    private long endNs;
    private volatile boolean cancelled;

    /**
     * @param path   the fixed path, or null when {@code routed} decides it at prefill
     * @param routed the routed prefill, or null for a fixed path
     */
    Generation(DrLlm engine, int[] prompt, int maxNew, Set<Integer> stops, LayerPath path, RoutedPrefill routed, Sampling sampling,
               long startNs) {
        this.engine = engine;
        this.prompt = prompt;
        this.maxNew = maxNew;
        this.stops = stops;
        this.path = path;
        this.routed = routed;
        this.sampler = new Sampler(sampling.temperature(), sampling.topP(), sampling.seed());
        this.startNs = startNs;
        this.out = new int[maxNew];
        this.text = engine.tokenizer() == null ? null : new TextStream(engine.tokenizer());
        // a routed path is known only after prefill: reserve for the longest one (every layer twice)
        this.slots = path != null ? Math.max(1, path.length()) : 2 * engine.config().numLayers();
        this.kvBytes = KvBudget.bytes(slots, prompt.length + Math.max(maxNew, 1), engine.config().kvDim());
        engine.budget().reserve(kvBytes, "a prompt of " + prompt.length + " tokens + " + maxNew + " new tokens over " + slots
                + " execution slots");
        reserved = true;
    }

    void cancel() { cancelled = true; }

    /** The next token, or null once the generation has ended (see {@link #result()}). */
    Token next() {
        if (reason != null) return null;
        if (cancelled) return finish(GenerateResult.StopReason.CANCELLED);
        if (!engine.enter()) return finish(GenerateResult.StopReason.CANCELLED);
        try {
            PathExecutor ex = engine.executor();
            if (cache == null) {
                long t0 = System.nanoTime();
                cache = engine.backend().newCache(slots, prompt.length + Math.max(maxNew, 1));
                if (routed != null) {
                    // the routed prefill is not interruptible inside; cancellation takes effect after it
                    Prefill.Result r = routed.run(ex, prompt, cache);
                    path = r.path();
                    decision = r.details() instanceof RoutingDecision d ? d : null;
                    logits = r.lastLogits();
                } else {
                    logits = ex.forward(prompt, path, cache, true, this::checkCancelled);
                }
                prefillNs = System.nanoTime() - t0;
                if (maxNew == 0) return finish(GenerateResult.StopReason.MAX_TOKENS);
            } else {
                long t0 = System.nanoTime();
                logits = ex.forward(new int[]{out[n - 1]}, path, cache, true, this::checkCancelled);
                decodeNs += System.nanoTime() - t0;
                steps++;
            }
            if (cancelled) return finish(GenerateResult.StopReason.CANCELLED);
            checkFinite(logits);
            int id = sampler.sample(logits, 0, engine.config().vocabSize());
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

    private void checkCancelled(int slot, int layer, Hidden x) {
        if (cancelled || engine.isClosing()) throw new Cancelled();
    }

    private void checkFinite(float[] row) {
        for (int i = 0; i < row.length; i++) {
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
        LOG.atDebug().setMessage("generation ended")
                .addKeyValue("stopReason", r)
                .addKeyValue("promptTokens", prompt.length)
                .addKeyValue("newTokens", n)
                .addKeyValue("pathLength", path == null ? -1 : path.length())
                .addKeyValue("prefillMs", prefillNs / 1e6)
                .addKeyValue("decodeMs", decodeNs / 1e6)
                .log();
        return null;
    }

    private void release() {
        if (reason == null) {
            // only the error paths get here without a reason; the exception goes to the caller
            reason = GenerateResult.StopReason.ERROR;
            endNs = System.nanoTime();
        }
        if (cache != null) {
            cache.close();
            cache = null;
        }
        logits = null;
        if (reserved) {
            reserved = false;
            engine.budget().release(kvBytes);
        }
        engine.ended(this);
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

    @Override
    public void close() {
        if (reason == null) finish(GenerateResult.StopReason.CANCELLED);
    }
}
